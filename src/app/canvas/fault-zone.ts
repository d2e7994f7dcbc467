// The fault zone (issue 6 part 1): a labelled strip left of the worker cards
// where a card is dropped to fail its machine, and where the cards of failed
// machines are drawn until they are healed (dragged back out, or from their
// menu). Pure geometry and decisions, no React: layout.ts asks it where the
// zone and its cards go, the canvas asks it what a drop means. The machine
// faults are the scenario's verbs (src/sim/cluster/machines.ts); nothing here
// reaches the cluster.
import type { MachineState } from '../../sim/cluster/machines';
import type { NodeFaultVerb } from '../../sim/model';
import type { Box } from './layout';

export const FAULT_ZONE_ID = 'fault-zone';

/** Room around the zone's cards, in canvas pixels. */
export const ZONE = {
  /** Between the zone and the worker grid. */
  gap: 56,
  /** Left and right of the cards inside the zone. */
  padX: 16,
  /** The zone's title, above its first card (which lines up with the first row of the grid). */
  head: 60,
  padBottom: 16,
  /** A failed card is taller than a healthy one: its fault controls and countdown need the room. */
  extraCardHeight: 96,
} as const;

export interface FaultZoneLayout {
  box: Box;
  /** The failed workers' cards, by node name, stacked in the zone in the order given. */
  slots: Map<string, Box>;
  /** Where each failed worker's card stood in the grid: a placeholder shows it there, for dragging it back. */
  ghosts: Map<string, Box>;
}

/**
 * The zone to the left of the worker grid (its box `grid`; the minimap
 * holds the canvas's bottom-right corner, which would hide a failed card
 * there): its title just
 * above the grid's first row, its first card level with that row, as tall
 * as the grid and growing downwards with the failed cards it holds.
 * `home` gives a failed worker's box in the grid.
 */
export function faultZoneLayout(
  grid: Box,
  card: { width: number; height: number },
  cardGap: number,
  faulted: readonly string[],
  home: (node: string) => Box | undefined = () => undefined,
): FaultZoneLayout {
  const slotHeight = card.height + ZONE.extraCardHeight;
  const slots = new Map<string, Box>();
  const ghosts = new Map<string, Box>();
  const width = card.width + 2 * ZONE.padX;
  const x = grid.x - ZONE.gap - width;
  faulted.forEach((name, i) => {
    slots.set(name, { x: x + ZONE.padX, y: grid.y + i * (slotHeight + cardGap), width: card.width, height: slotHeight });
    const h = home(name);
    if (h) ghosts.set(name, h);
  });
  const held = Math.max(faulted.length, 1);
  const inner = Math.max(held * slotHeight + (held - 1) * cardGap, grid.height);
  return { box: { x, y: grid.y - ZONE.head, width, height: ZONE.head + inner + ZONE.padBottom }, slots, ghosts };
}

/** Whether a card dropped with its top-left corner at `at` lands in the zone: its centre must be inside. */
export function droppedInZone(zone: Box, at: { x: number; y: number }, card: { width: number; height: number }): boolean {
  const cx = at.x + card.width / 2;
  const cy = at.y + card.height / 2;
  return cx >= zone.x && cx <= zone.x + zone.width && cy >= zone.y && cy <= zone.y + zone.height;
}

/** The four faults a machine can have, as the card's fault switch offers them. */
export type FaultKind = 'power' | 'kubelet' | 'network' | 'memory';

export interface FaultSpec {
  kind: FaultKind;
  /** The switch's button: what the fault is about. */
  short: string;
  /** What turning it on does. */
  label: string;
  /** What the card says while the fault is on. */
  state: string;
  on: NodeFaultVerb;
  off: NodeFaultVerb;
}

export const FAULTS: readonly FaultSpec[] = [
  { kind: 'power', short: 'Power', label: 'Power off', state: 'Powered off', on: 'powerOff', off: 'powerOn' },
  { kind: 'kubelet', short: 'Kubelet', label: 'Stop the kubelet', state: 'kubelet stopped', on: 'stopKubelet', off: 'startKubelet' },
  { kind: 'network', short: 'Network', label: 'Cut the network', state: 'Network cut', on: 'partition', off: 'heal' },
  { kind: 'memory', short: 'Memory', label: 'Fill the memory', state: 'Memory full', on: 'fillMemory', off: 'freeMemory' },
];

/**
 * The faults that are on. A machine that is off runs nothing, so its kubelet
 * and memory do not count then (power on boots it with both reset, as
 * Machines.apply does).
 */
export function activeFaults(m: MachineState): FaultKind[] {
  const out: FaultKind[] = [];
  if (!m.powered) out.push('power');
  if (m.powered && !m.kubeletRunning) out.push('kubelet');
  if (m.partitioned) out.push('network');
  if (m.powered && m.memoryPressure) out.push('memory');
  return out;
}

export const isFaulted = (m: MachineState): boolean => !m.powered || !m.kubeletRunning || m.partitioned || m.memoryPressure;

/** Whether the machine still sends the kubelet's heartbeats (Lease renewals, status updates) to the control plane. */
export const sendsHeartbeats = (m: MachineState): boolean => m.powered && m.kubeletRunning && !m.partitioned;

/** The verbs that make the machine healthy again: power on first (it also restarts the kubelet and empties the memory). */
export function healPlan(m: MachineState): NodeFaultVerb[] {
  const out: NodeFaultVerb[] = [];
  if (!m.powered) out.push('powerOn');
  else {
    if (!m.kubeletRunning) out.push('startKubelet');
    if (m.memoryPressure) out.push('freeMemory');
  }
  if (m.partitioned) out.push('heal');
  return out;
}

/**
 * The card's fault switch: a fault that is on is turned off; another one
 * replaces whatever is on (healed first, then the new fault), so one click
 * goes from "powered off" to "kubelet stopped".
 */
export function switchFaultPlan(m: MachineState, kind: FaultKind): NodeFaultVerb[] {
  const spec = FAULTS.find((f) => f.kind === kind)!;
  if (activeFaults(m).includes(kind)) return [spec.off];
  return [...healPlan(m), spec.on];
}

/**
 * What dropping a card means: a healthy machine dropped in the zone is
 * powered off; a failed one dropped outside it is healed; anything else
 * snaps back and does nothing.
 */
export function dropPlan(m: MachineState, inZone: boolean): NodeFaultVerb[] {
  const faulted = isFaulted(m);
  if (inZone && !faulted) return ['powerOff'];
  if (!inZone && faulted) return healPlan(m);
  return [];
}
