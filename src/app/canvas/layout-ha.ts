// Where the boxes of a highly available control plane go (layout.ts asks):
// one frame per control-plane machine, side by side, each holding its etcd
// member on top, its kube-apiserver below it, and its kube-scheduler and
// kube-controller-manager side by side at the bottom; under the frames the
// load balancer, as wide as they are, which every client talks through (as
// kubeadm's control-plane endpoint). Its handles sit right under each
// apiserver and each client above it, so those edges are straight vertical
// lines, the apiserver's between its machine's scheduler and
// controller-manager. With a cloud, the cloud box stands right of the frames
// and cloud-controller-manager below it, beside the load balancer.
// Also where cloud-controller-manager and the cloud go beside a single
// control plane. Pure, like layout.ts.
import type { ControlPlaneMachineShape } from './control-plane-model';
import type { Box } from './layout';

/** A handle at a point of its box's side (the load balancer's many handles): what the edge and its messages use. */
export interface Anchor {
  x: number;
  y: number;
  side: 'top' | 'right' | 'bottom' | 'left';
}

export const LOAD_BALANCER_ID = 'load-balancer';
export const CLOUD_ID = 'cloud';
export const CLOUD_CONTROLLER_MANAGER_ID = 'cloud-controller-manager';
/** A control-plane machine's frame (a name no component or worker id takes). */
export const machineId = (machine: string) => `machine:${machine}`;
/** The key of a handle placed at a point: `${node id}/${handle id}`. */
export const anchorKey = (node: string, handle: string) => `${node}/${handle}`;
/** The load balancer's handle under an apiserver (`to:`) or a client above it (`from:`). */
export const lbHandle = (kind: 'to' | 'from', component: string) => `${kind}:${component}`;

export const HA_SIZES = {
  etcd: { width: 180, height: 60 },
  component: { width: 224, height: 60 },
  cloud: { width: 248 },
} as const;

const PAD = 10;
/** The frame's title bar: machine name, power state, menu. */
export const FRAME_HEAD = 34;
/** The etcd row's top, below the title bar with room for raft's arcs over the row. */
const ETCD_TOP = FRAME_HEAD + 8;
/** Between the scheduler and the controller-manager: the apiserver's load-balancer edge runs down it. */
const CLIENT_GAP = 20;
const ETCD_GAP = 16;
/** Between the etcd row and the apiservers: every apiserver's edges to every member cross here. */
const ETCD_TO_API = 36;
const API_TO_CLIENTS = 16;
const FRAME_GAP = 28;
const FRAMES_TO_LB = 48;
export const LB_HEIGHT = 44;
const CLOUD_GAP = 36;

export interface ControlPlanePart {
  boxes: Map<string, Box>;
  /** Frames by machine name. */
  frames: Map<string, Box>;
  anchors: Map<string, Anchor>;
  /** The lowest edge of the part: workers go below it. */
  bottom: number;
}

function frameInnerWidth(m: ControlPlaneMachineShape): number {
  const { etcd, component } = HA_SIZES;
  const k = m.etcd.length;
  return Math.max(2 * component.width + CLIENT_GAP, k * etcd.width + Math.max(k - 1, 0) * ETCD_GAP);
}

/**
 * The frames, their components, etcd members not on any machine (a row
 * above the frames), the load balancer, and with `cloud` the cloud box and
 * (when it runs) cloud-controller-manager; centred on x = 0, the frames' tops at y = 0.
 */
export function haControlPlane(machines: readonly ControlPlaneMachineShape[], unhostedEtcd: readonly string[], cloud: { controllerManager: boolean } | null): ControlPlanePart {
  const { etcd, component } = HA_SIZES;
  const boxes = new Map<string, Box>();
  const frames = new Map<string, Box>();
  const anchors = new Map<string, Anchor>();
  const widths = machines.map((m) => frameInnerWidth(m) + 2 * PAD);
  const total = widths.reduce((a, b) => a + b, 0) + Math.max(machines.length - 1, 0) * FRAME_GAP;
  const apiY = ETCD_TOP + etcd.height + ETCD_TO_API;
  const clientY = apiY + component.height + API_TO_CLIENTS;
  const frameHeight = clientY + component.height + PAD;
  const lb: Box = { x: -total / 2, y: frameHeight + FRAMES_TO_LB, width: total, height: LB_HEIGHT };

  let x = -total / 2;
  machines.forEach((m, i) => {
    const width = widths[i];
    frames.set(m.name, { x, y: 0, width, height: frameHeight });
    const centre = x + width / 2;
    const row = m.etcd.length * etcd.width + Math.max(m.etcd.length - 1, 0) * ETCD_GAP;
    m.etcd.forEach((name, j) => boxes.set(name, { x: centre - row / 2 + j * (etcd.width + ETCD_GAP), y: ETCD_TOP, ...etcd }));
    const place = (name: string | undefined, bx: number, by: number) => {
      if (name === undefined) return;
      boxes.set(name, { x: bx, y: by, ...component });
      const kind = by === apiY ? 'to' : 'from';
      anchors.set(anchorKey(LOAD_BALANCER_ID, lbHandle(kind, name)), { x: bx + component.width / 2, y: lb.y, side: 'top' });
    };
    place(m.apiserver, centre - component.width / 2, apiY);
    place(m.scheduler, centre - CLIENT_GAP / 2 - component.width, clientY);
    place(m.controllerManager, centre + CLIENT_GAP / 2, clientY);
    x += width + FRAME_GAP;
  });

  if (unhostedEtcd.length > 0) {
    const row = unhostedEtcd.length * etcd.width + (unhostedEtcd.length - 1) * ETCD_GAP;
    unhostedEtcd.forEach((name, j) => boxes.set(name, { x: -row / 2 + j * (etcd.width + ETCD_GAP), y: -(etcd.height + ETCD_TO_API), ...etcd }));
  }

  boxes.set(LOAD_BALANCER_ID, lb);
  let bottom = lb.y + lb.height;
  if (cloud) {
    const cx = total / 2 + CLOUD_GAP;
    boxes.set(CLOUD_ID, { x: cx, y: 0, width: HA_SIZES.cloud.width, height: frameHeight });
    if (cloud.controllerManager) {
      // Level with the load balancer, so its edge to it is a straight line.
      const ccm = { x: cx, y: lb.y + lb.height / 2 - component.height / 2, width: HA_SIZES.cloud.width, height: component.height };
      boxes.set(CLOUD_CONTROLLER_MANAGER_ID, ccm);
      bottom = Math.max(bottom, ccm.y + ccm.height);
    }
  }
  return { boxes, frames, anchors, bottom };
}

/**
 * Beside a single control plane: cloud-controller-manager under
 * kube-controller-manager (its edge reaches the apiserver's bottom right
 * corner, clear of the controller-manager), the cloud box to its right,
 * from the controller-manager's top down to the ccm's bottom.
 */
export function singleCloud(controllerManager: Box, apiserver: { id: string; box: Box }, component: { width: number; height: number }, runsCcm: boolean) {
  const boxes = new Map<string, Box>();
  const anchors = new Map<string, Anchor>();
  const ccm = { x: controllerManager.x, y: controllerManager.y + controllerManager.height + 28, ...component };
  const cloudX = controllerManager.x + controllerManager.width + 48;
  boxes.set(CLOUD_ID, { x: cloudX, y: controllerManager.y, width: HA_SIZES.cloud.width, height: ccm.y + ccm.height - controllerManager.y });
  if (runsCcm) {
    boxes.set(CLOUD_CONTROLLER_MANAGER_ID, ccm);
    const a = apiserver.box;
    anchors.set(anchorKey(apiserver.id, 'ccm'), { x: a.x + a.width * 0.75, y: a.y + a.height, side: 'bottom' });
  }
  return { boxes, anchors, bottom: ccm.y + ccm.height };
}
