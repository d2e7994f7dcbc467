// The architecture view (DESIGN 5, issue 5 part 1): the control plane and one
// card per worker node, drawn with React Flow. Edges only where components
// really talk in Kubernetes: every component to kube-apiserver (the kubelets'
// from their node's card), kube-apiserver to each etcd member, and the etcd
// members to each other (raft). Node objects are reused when what they show
// is unchanged, so React Flow redraws only the boxes that changed. Wire
// messages fly along the edges on one SVG layer above them (MessageLayer).
import { Background, Controls, MiniMap, ReactFlow, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useMemo, useRef, useState } from 'react';
import type { EtcdRoleView } from '../store/cluster-store';
import { useClusterStore } from '../store/store-context';
import { selectEtcdRoles, selectWorkers } from '../store/selectors';
import { POD_TOKEN_PHASES, type WorkerView } from '../store/worker-views';
import { architectureEdges } from './edges';
import { APISERVER_ID, CONTROLLER_MANAGER_ID, layout, SCHEDULER_ID, workerId, type Box } from './layout';
import { edgeCurves } from './message-flight';
import { MessageLayer, MessageLegend } from './MessageLayer';
import { ApiserverNodeView, ControllerManagerNodeView, EtcdMemberNode, SchedulerNodeView } from './nodes/ControlPlaneNode';
import { WorkerNodeCard } from './nodes/WorkerNodeCard';

const NODE_TYPES = {
  etcd: EtcdMemberNode,
  apiserver: ApiserverNodeView,
  scheduler: SchedulerNodeView,
  controllerManager: ControllerManagerNodeView,
  worker: WorkerNodeCard,
};

const FIT_VIEW_OPTIONS = { padding: 0.12 };
const MINIMAP_STYLE = { width: 120, height: 80 };
const PRO_OPTIONS = { hideAttribution: true };

/** What a box's node carries; the control-plane components read the store themselves. */
type CanvasData = { member: EtcdRoleView } | { worker: WorkerView } | Record<string, never>;
type CanvasNode = Node<CanvasData>;

const EMPTY = {} as Record<string, never>;

export function ArchitectureCanvas() {
  const etcd = useClusterStore(selectEtcdRoles);
  const workers = useClusterStore(selectWorkers);

  // The layout depends only on which members and nodes exist, not on their state.
  const etcdNames = useStableNames(etcd);
  const workerNames = useStableNames(workers);
  const boxes = useMemo(() => layout({ etcd: etcdNames, workers: workerNames }), [etcdNames, workerNames]);
  const edges = useMemo(() => architectureEdges(etcdNames, workerNames), [etcdNames, workerNames]);
  const flightGraph = useMemo(() => ({ etcd: etcdNames, workers: workerNames }), [etcdNames, workerNames]);
  const curves = useMemo(() => edgeCurves(edges, boxes), [edges, boxes]);
  const [background, setBackground] = useState(true);

  const previous = useRef(new Map<string, CanvasNode>());
  const nodes = useMemo(() => {
    const out: CanvasNode[] = [];
    const at = (id: string): Box => boxes.get(id)!;
    for (const m of etcd) out.push(flowNode(m.name, 'etcd', at(m.name), { member: m }));
    out.push(flowNode(APISERVER_ID, 'apiserver', at(APISERVER_ID), EMPTY));
    out.push(flowNode(SCHEDULER_ID, 'scheduler', at(SCHEDULER_ID), EMPTY));
    out.push(flowNode(CONTROLLER_MANAGER_ID, 'controllerManager', at(CONTROLLER_MANAGER_ID), EMPTY));
    for (const w of workers) out.push(flowNode(workerId(w.name), 'worker', at(workerId(w.name)), { worker: w }));
    const reused = out.map((n) => {
      const old = previous.current.get(n.id);
      return old && old.data === n.data && old.position.x === n.position.x && old.position.y === n.position.y ? old : n;
    });
    previous.current = new Map(reused.map((n) => [n.id, n]));
    return reused;
  }, [etcd, workers, boxes]);

  return (
    <section className="panel canvas-panel" data-testid="architecture-canvas" aria-label="Architecture">
      <header className="panel-header">
        <h2>Architecture</h2>
        <label className="toggle" title="Raft heartbeats, node lease renewals and the kubelets' periodic gets">
          <input type="checkbox" data-testid="background-traffic" checked={background} onChange={(e) => setBackground(e.target.checked)} />
          Background traffic
        </label>
        <Legend />
      </header>
      <div className="canvas-body">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          minZoom={0.05}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          proOptions={PRO_OPTIONS}
        >
          <Background gap={24} size={1} />
          <MiniMap pannable zoomable nodeClassName={miniMapClass} ariaLabel="Minimap" style={MINIMAP_STYLE} position="top-right" />
          <Controls showInteractive={false} position="top-left" />
          <MessageLayer graph={flightGraph} curves={curves} background={background} />
        </ReactFlow>
      </div>
      <MessageLegend />
    </section>
  );
}

function flowNode(id: string, type: string, box: Box, data: CanvasData): CanvasNode {
  return { id, type, position: { x: box.x, y: box.y }, width: box.width, height: box.height, data };
}

function miniMapClass(n: Node): string {
  return `minimap-${n.type ?? 'default'}`;
}

/** The list of names, as the same array while the names stay the same. */
function useStableNames(items: readonly { name: string }[]): string[] {
  const ref = useRef<string[]>([]);
  const names = items.map((i) => i.name);
  if (names.length !== ref.current.length || names.some((n, i) => n !== ref.current[i])) ref.current = names;
  return ref.current;
}

const Legend = memo(function Legend() {
  return (
    <ul className="phase-legend" data-testid="phase-legend" aria-label="Pod phases">
      {POD_TOKEN_PHASES.map((p) => (
        <li key={p}>
          <span className={`pod-token phase-${p}`} aria-hidden="true" />
          {p}
        </li>
      ))}
    </ul>
  );
});
