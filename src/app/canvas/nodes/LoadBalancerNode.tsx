// The load balancer in front of a highly available control plane's
// apiservers (kubeadm's --control-plane-endpoint: an haproxy in TCP mode
// health-checking GET /healthz, src/sim/apiserver/load-balancer.ts). It is
// no Kubernetes component: the trace names the apiserver replica that
// served each request, and the canvas flies a client's message to this bar
// and on to that replica; its own messages are its health checks and its
// refused dials. Its handles sit under each apiserver and each client in
// the frames above (layout-ha.ts), the kubelets come in from below, clients
// without a box (kubectl) from the left, cloud-controller-manager from the
// right. Under each apiserver it says what the balancer believes of it
// (HAProxy's words: UP, "UP, going down 1/3", DOWN); the apiserver's box
// counts the clients connected there, so a stopped replica's clients are
// seen moving.
import { useSelectable } from '../../panels/InspectorHooks';
import { LOAD_BALANCER_COMPONENT } from '../../store/control-plane-views';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useBalancer, type BackendReport } from '../use-control-plane';

export interface LoadBalancerData extends Record<string, unknown> {
  /** Handles placed along the top: `to:<apiserver>` and `from:<client>`, at `offset` px from the box's left. */
  handles: readonly { id: string; offset: number }[];
  apiservers: readonly string[];
}
export type LoadBalancerFlowNode = Node<LoadBalancerData, 'loadBalancer'>;

const hidden = { isConnectable: false } as const;

function tone(b: BackendReport | undefined): 'ok' | 'warn' | 'bad' {
  if (!b || !b.up) return 'bad';
  return b.check === 'UP' ? 'ok' : 'warn';
}

export const LoadBalancerNode = memo(function LoadBalancerNode({ data }: NodeProps<LoadBalancerFlowNode>) {
  const balancer = useBalancer();
  const { selected, pressProps } = useSelectable('component', LOAD_BALANCER_COMPONENT);
  const backends = data.apiservers.map((name) => balancer?.backends.get(name));
  const up = backends.filter((b) => b?.up).length;
  const total = data.apiservers.length;
  return (
    <>
      {data.handles.map((h) =>
        h.id.startsWith('to:') ? (
          <Handle key={h.id} type="source" position={Position.Top} id={h.id} style={{ left: h.offset }} {...hidden} />
        ) : (
          <Handle key={h.id} type="target" position={Position.Top} id={h.id} style={{ left: h.offset }} {...hidden} />
        ),
      )}
      <Handle type="target" position={Position.Bottom} id="kubelets" {...hidden} />
      <Handle type="target" position={Position.Right} id="ccm" {...hidden} />
      <div
        className={`lb-node nodrag nopan selectable${up === 0 ? ' is-down' : up < total ? ' is-degraded' : ''}${selected ? ' is-selected' : ''}`}
        data-testid="canvas-load-balancer"
        data-selected={selected}
        {...pressProps}
        data-up={up}
        data-total={total}
        title="Every client reaches the apiservers through it; a client's connection stays with the apiserver it was given until that one goes away"
      >
        <span className="lb-title">
          <span className="lb-name">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M2 8h4M10 4l-4 4 4 4M10 4h4M10 12h4M10 8h4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            load balancer
          </span>
          <span className="lb-meta">{balancer?.address ?? 'control-plane endpoint'}</span>
        </span>
        {data.handles
          .filter((h) => h.id.startsWith('to:'))
          .map((h) => {
            const name = h.id.slice('to:'.length);
            const b = balancer?.backends.get(name);
            return (
              <span
                key={h.id}
                className={`lb-backend lb-${tone(b)}`}
                style={{ left: h.offset }}
                data-testid="lb-backend"
                data-apiserver={name}
                data-up={b?.up ?? false}
                data-connections={b?.connections ?? 0}
                title={`${name}: ${b?.check ?? 'unknown'} to the balancer's health check; ${b?.connections ?? 0} client connection(s)`}
              >
                <span className="lb-tick" aria-hidden="true" />
                <span className="lb-check">{b?.check ?? '?'}</span>
              </span>
            );
          })}
        <span className={`badge lb-count ${up === total ? 'badge-ok' : up === 0 ? 'badge-bad' : 'badge-warn'}`} data-testid="lb-up">
          {up}/{total} UP
        </span>
      </div>
    </>
  );
});
