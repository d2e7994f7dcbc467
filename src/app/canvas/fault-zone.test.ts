import { describe, expect, it } from 'vitest';
import type { MachineState } from '../../sim/cluster/machines';
import { activeFaults, droppedInZone, dropPlan, faultZoneLayout, healPlan, isFaulted, sendsHeartbeats, switchFaultPlan, ZONE } from './fault-zone';
import { architectureLayout, SIZES, workerId, type Box } from './layout';

const HEALTHY: MachineState = { powered: true, kubeletRunning: true, partitioned: false, memoryPressure: false };
const machine = (m: Partial<MachineState>): MachineState => ({ ...HEALTHY, ...m });
const ETCD = ['etcd-1', 'etcd-2', 'etcd-3'];
const NODES = ['node-1', 'node-2', 'node-3'];
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the fault zone in the layout', () => {
  it('sits left of three cards, the zone and the row centred together', () => {
    const l = architectureLayout({ etcd: ETCD, workers: NODES, faultZone: { faulted: [] } });
    const zone = l.faultZone!.box;
    // Zone 264 + 2 x 16 = 296, gap 56, grid 3 x 264 + 2 x 28 = 848: 1,200 in all, from -600; the grid from -600 + 352.
    expect(zone).toMatchObject({ x: -600, width: 296 });
    expect(NODES.map((n) => l.boxes.get(workerId(n))!.x)).toEqual([-248, 44, 336]);
    expect(NODES.map((n) => l.boxes.get(workerId(n))!.x).at(-1)! + 264).toBe(600);
    // Its title above the cards' row (60), room for one failed card (184 + 96) and 16 below: 60 + 280 + 16 = 356.
    expect(zone.y).toBe(l.boxes.get(workerId('node-1'))!.y - 60);
    expect(zone.height).toBe(356);
    for (const [id, box] of l.boxes) expect(overlaps(box, zone), id).toBe(false);
  });

  it("a failed node's card moves into the zone, taller; the others keep their places", () => {
    const healthy = architectureLayout({ etcd: ETCD, workers: NODES, faultZone: { faulted: [] } });
    const l = architectureLayout({ etcd: ETCD, workers: NODES, faultZone: { faulted: ['node-2'] } });
    const zone = l.faultZone!.box;
    const card = l.boxes.get(workerId('node-2'))!;
    // Level with the row it left; its old place is kept (a placeholder is drawn there).
    expect(card).toEqual({ x: zone.x + ZONE.padX, y: healthy.boxes.get(workerId('node-2'))!.y, width: SIZES.worker.width, height: SIZES.worker.height + ZONE.extraCardHeight });
    expect(l.faultZone!.ghosts.get('node-2')).toEqual(healthy.boxes.get(workerId('node-2')));
    expect(l.boxes.get(workerId('node-1'))).toEqual(healthy.boxes.get(workerId('node-1')));
    expect(l.boxes.get(workerId('node-3'))).toEqual(healthy.boxes.get(workerId('node-3')));
  });

  it('grows downwards with each failed card: two cards, 280 + 28 + 280 tall inside', () => {
    const grid = { x: 0, y: 100, width: 848, height: 184 };
    const z = faultZoneLayout(grid, SIZES.worker, 28, ['node-1', 'node-3']);
    expect([...z.slots.keys()]).toEqual(['node-1', 'node-3']);
    expect(z.slots.get('node-3')!.y - z.slots.get('node-1')!.y).toBe(280 + 28);
    // 60 + 280 + 28 + 280 + 16 = 664
    expect(z.box.height).toBe(664);
  });

  it('is not drawn beside the heat map, nor when the graph does not ask for it', () => {
    const many = Array.from({ length: 51 }, (_, i) => `node-${i + 1}`);
    expect(architectureLayout({ etcd: ETCD, workers: many, faultZone: { faulted: ['node-1'] } }).faultZone).toBeNull();
    expect(architectureLayout({ etcd: ETCD, workers: NODES }).faultZone).toBeNull();
  });

  it('ignores failed names that are not workers (a deleted Node)', () => {
    const l = architectureLayout({ etcd: ETCD, workers: NODES, faultZone: { faulted: ['gone'] } });
    expect(l.faultZone!.slots.size).toBe(0);
    expect(l.boxes.has(workerId('gone'))).toBe(false);
  });
});

describe('dropping a card', () => {
  const zone: Box = { x: 304, y: 322, width: 296, height: 318 };
  const card = SIZES.worker;

  it('lands in the zone when its centre does', () => {
    // Centre = top-left + (132, 92).
    expect(droppedInZone(zone, { x: 304 - 132, y: 322 }, card)).toBe(true);
    expect(droppedInZone(zone, { x: 304 - 133, y: 322 }, card)).toBe(false);
    expect(droppedInZone(zone, { x: 400, y: 640 - 92 }, card)).toBe(true);
    expect(droppedInZone(zone, { x: 400, y: 640 - 91 }, card)).toBe(false);
  });

  it('powers a healthy machine off in the zone, heals a failed one outside it, else does nothing', () => {
    expect(dropPlan(HEALTHY, true)).toEqual(['powerOff']);
    expect(dropPlan(HEALTHY, false)).toEqual([]);
    expect(dropPlan(machine({ powered: false }), false)).toEqual(['powerOn']);
    expect(dropPlan(machine({ powered: false }), true)).toEqual([]);
    expect(dropPlan(machine({ partitioned: true, memoryPressure: true }), false)).toEqual(['freeMemory', 'heal']);
  });
});

describe('faults', () => {
  it('a machine that is off counts as off only: power on restarts its kubelet and empties its memory', () => {
    const m = machine({ powered: false, kubeletRunning: false, memoryPressure: true, partitioned: true });
    expect(activeFaults(m)).toEqual(['power', 'network']);
    expect(healPlan(m)).toEqual(['powerOn', 'heal']);
    expect(isFaulted(m)).toBe(true);
    expect(sendsHeartbeats(m)).toBe(false);
  });

  it('memory pressure alone is a fault, yet the kubelet still sends heartbeats', () => {
    const m = machine({ memoryPressure: true });
    expect(activeFaults(m)).toEqual(['memory']);
    expect(isFaulted(m)).toBe(true);
    expect(sendsHeartbeats(m)).toBe(true);
    expect(isFaulted(HEALTHY)).toBe(false);
    expect(healPlan(HEALTHY)).toEqual([]);
  });

  it('the switch turns an active fault off, or replaces what is on with another in one click', () => {
    const off = machine({ powered: false });
    expect(switchFaultPlan(off, 'power')).toEqual(['powerOn']);
    expect(switchFaultPlan(off, 'kubelet')).toEqual(['powerOn', 'stopKubelet']);
    expect(switchFaultPlan(off, 'network')).toEqual(['powerOn', 'partition']);
    expect(switchFaultPlan(machine({ partitioned: true }), 'memory')).toEqual(['heal', 'fillMemory']);
    expect(switchFaultPlan(machine({ kubeletRunning: false }), 'kubelet')).toEqual(['startKubelet']);
  });
});
