// The cloud under the cluster (spec.cloud) and cloud-controller-manager,
// which talks to it: the cloud box counts the cloud's instances and lists
// its load balancers, one per Service of type LoadBalancer, with the
// address written into the Service and the backend nodes the cloud forwards
// to (cloud-view.ts says why they are listed here). cloud-controller-manager
// is a control-plane component like the others: its box opens it in the
// inspector and its menu stops or starts it. Beside a single control plane
// the ccm sits under kube-controller-manager with the cloud to its right;
// in a highly available one the cloud stands right of the frames and the
// ccm under it, level with the load balancer (layout-ha.ts).
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { replicaStatus } from '../control-plane-model';
import { CLOUD_CONTROLLER_MANAGER_ID } from '../layout';
import { useCloudSummary } from '../use-cloud-summary';
import { useComponentReport } from '../use-control-plane';
import { Box, LEADER_ICON } from './ControlPlaneNode';

/** `ha`: the layout of a highly available control plane (the handles are on other sides). */
export type CloudFlowNode = Node<{ ha: boolean }, 'cloud'>;
export type CloudControllerManagerFlowNode = Node<{ ha: boolean }, 'cloudControllerManager'>;

const hidden = { isConnectable: false } as const;
/** Rows the box has room for; the rest is counted. */
const MAX_ROWS = 4;

export const CloudNode = memo(function CloudNode({ data }: NodeProps<CloudFlowNode>) {
  const summary = useCloudSummary();
  const { running, stopped, terminated } = summary.instances;
  const rows = summary.services.slice(0, MAX_ROWS);
  const more = summary.services.length - rows.length;
  return (
    <>
      {data.ha ? <Handle type="target" position={Position.Bottom} id="ccm-bottom" {...hidden} /> : <Handle type="target" position={Position.Left} id="ccm-left" {...hidden} />}
      <div className="cloud-node" data-testid="canvas-cloud" title="The cloud provider's API: instances and load balancers">
        <div className="cloud-head">
          <svg className="cloud-icon" viewBox="0 0 20 14" width="20" height="14" aria-hidden="true">
            <path d="M5.5 13h9.3a3.7 3.7 0 0 0 .4-7.4A5 5 0 0 0 5.6 4.3 4.4 4.4 0 0 0 5.5 13z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
          </svg>
          <span className="cloud-title">cloud</span>
          <span className="cloud-instances" data-testid="cloud-instances" data-running={running} data-stopped={stopped} data-terminated={terminated}>
            {running} running{stopped > 0 ? ` · ${stopped} stopped` : ''}
            {terminated > 0 ? ` · ${terminated} terminated` : ''}
          </span>
        </div>
        <div className="cloud-section">Load balancers</div>
        {rows.length === 0 ? (
          <div className="cloud-empty">No Service of type LoadBalancer</div>
        ) : (
          <ul className="cloud-lbs">
            {rows.map((r) => (
              <li
                key={r.service}
                className="cloud-lb"
                data-testid="lb-service"
                data-service={r.service}
                data-address={r.address ?? ''}
                data-backends={r.backends}
                data-healthy={r.healthy}
                title={`Service ${r.service}: ${r.address ?? 'address pending'}; the cloud load balancer forwards to ${r.backends} node(s), ${r.healthy} healthy`}
              >
                <span className="cloud-lb-name">{r.service}</span>
                <span className={`cloud-lb-ip${r.address ? '' : ' pending'}`} data-testid="lb-address">
                  {r.address ?? '<pending>'}
                </span>
                <span className="cloud-lb-backends" data-testid="lb-backends">
                  {r.backends} {r.backends === 1 ? 'node' : 'nodes'}
                  {r.healthy < r.backends ? <span className="cloud-lb-unhealthy"> · {r.healthy} healthy</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
        {more > 0 && <div className="cloud-more">and {more} more</div>}
      </div>
    </>
  );
});

export const CloudControllerManagerNode = memo(function CloudControllerManagerNode({ data }: NodeProps<CloudControllerManagerFlowNode>) {
  const report = useComponentReport(CLOUD_CONTROLLER_MANAGER_ID);
  const status = replicaStatus(report);
  const leads = status.tone === 'leader';
  return (
    <>
      <Handle type="source" position={Position.Left} id="api-left" {...hidden} />
      {data.ha ? <Handle type="source" position={Position.Top} id="cloud-top" {...hidden} /> : <Handle type="source" position={Position.Right} id="cloud-right" {...hidden} />}
      <Box
        id={CLOUD_CONTROLLER_MANAGER_ID}
        tone={status.tone}
        title={CLOUD_CONTROLLER_MANAGER_ID}
        badge={status.badge}
        badgeIcon={leads ? LEADER_ICON : undefined}
        // Its name is long: on a line of its own, the badge under it, in both layouts.
        compact
        attrs={{ 'data-leader': leads }}
      >
        {status.tone === 'bad' ? 'not running' : status.tone === 'standby' ? 'waits for Lease' : 'nodes and load balancers'}
      </Box>
    </>
  );
});
