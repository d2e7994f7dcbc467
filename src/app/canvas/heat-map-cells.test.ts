import { describe, expect, it } from 'vitest';
import type { PodTokenPhase, WorkerView } from '../store/worker-views';
import { workerViewFixture } from '../store/worker-view-fixture';
import { HeatCells, MARK_CORDONED, MARK_UNKNOWN, PHASE_INDEX } from './heat-map-cells';
import { PODS_PER_TILE } from './heat-map-geometry';

// 1000m of 4000m requested: a quarter's heat.
const worker = (name: string, phases: PodTokenPhase[], extra: Partial<WorkerView> = {}): WorkerView =>
  workerViewFixture(name, phases, { cpu: { requested: 1000, allocatable: 4000 }, ...extra });

describe('HeatCells', () => {
  const first = [worker('a', ['Running', 'Pending']), worker('b', []), worker('c', ['Running'])];

  it('holds each tile heat, marks and pod phases, and the totals', () => {
    const cells = new HeatCells(3);
    expect(cells.update(first)).toBe(true);
    // 1000m of 4000m = 25%.
    expect([...cells.heat]).toEqual([25, 25, 25]);
    expect([...cells.podCount]).toEqual([2, 0, 1]);
    expect(cells.phases[0]).toBe(PHASE_INDEX.get('Running'));
    expect(cells.phases[1]).toBe(PHASE_INDEX.get('Pending'));
    expect(cells.phases[2 * PODS_PER_TILE]).toBe(PHASE_INDEX.get('Running'));
    expect({ pods: cells.pods, running: cells.running }).toEqual({ pods: 3, running: 2 });
    // Every tile is new (b's heat went from nothing to 25%).
    expect([...cells.takeDirty()]).toEqual([0, 1, 2]);
    expect(cells.indexOf('c')).toBe(2);
    expect(cells.indexOf('zzz')).toBe(-1);
  });

  it('reads only the views that are new objects, and lists only the tiles whose cells moved', () => {
    const cells = new HeatCells(3);
    cells.update(first);
    cells.takeDirty();
    expect(cells.update(first)).toBe(false);
    // b is a new object that draws the same; a's Pending pod runs; c turns Unknown and cordoned, its pod deleted.
    const next = [worker('a', ['Running', 'Running']), worker('b', []), worker('c', [], { ready: 'Unknown', cordoned: true })];
    expect(cells.update(next)).toBe(true);
    expect([...cells.takeDirty()]).toEqual([0, 2]);
    expect(cells.marks[2]).toBe(MARK_UNKNOWN | MARK_CORDONED);
    // 2 + 0 + 0 pods, both Running.
    expect({ pods: cells.pods, running: cells.running, unknown: cells.unknown, notReady: cells.notReady }).toEqual({ pods: 2, running: 2, unknown: 1, notReady: 0 });
  });

  it('draws at most PODS_PER_TILE pods of a node, and counts only those', () => {
    const cells = new HeatCells(1);
    cells.update([worker('a', Array<PodTokenPhase>(PODS_PER_TILE + 5).fill('Running'))]);
    expect({ pods: cells.pods, running: cells.running }).toEqual({ pods: 110, running: 110 });
  });

  it('a tile whose node is gone from the views is emptied', () => {
    const cells = new HeatCells(3);
    cells.update(first);
    cells.takeDirty();
    cells.update(first.slice(0, 2));
    expect([...cells.takeDirty()]).toEqual([2]);
    expect({ pods: cells.pods, running: cells.running }).toEqual({ pods: 2, running: 1 });
    expect(cells.has(2)).toBe(false);
  });
});
