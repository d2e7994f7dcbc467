import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { startActor } from './actors';
import { parseDuration, formatDuration, DurationError } from './duration';
import { EventQueue } from './event-queue';
import { IdSource } from './ids';
import { Kernel } from './kernel';
import { Rng } from './rng';

describe('EventQueue', () => {
  it('runs events in time order and keeps schedule order at the same instant', () => {
    const q = new EventQueue();
    const order: string[] = [];
    q.push(20, 'c', () => order.push('c'));
    q.push(10, 'a', () => order.push('a'));
    q.push(10, 'b', () => order.push('b'));
    q.push(5, 'first', () => order.push('first'));
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(order).toEqual(['first', 'a', 'b', 'c']);
  });

  it('skips cancelled events and counts only live ones', () => {
    const q = new EventQueue();
    const a = q.push(1, 'a', () => {});
    q.push(2, 'b', () => {});
    q.cancel(a);
    q.cancel(a);
    expect(q.size).toBe(1);
    expect(q.pop()?.label).toBe('b');
    expect(q.pop()).toBeUndefined();
  });

  it('keeps same-instant order across many interleaved pushes (heap stability)', () => {
    const q = new EventQueue();
    const got: number[] = [];
    for (let i = 0; i < 500; i++) q.push(i % 7, String(i), () => got.push(i));
    for (let e = q.pop(); e; e = q.pop()) e.run();
    const expected = Array.from({ length: 500 }, (_, i) => i).sort((x, y) => (x % 7) - (y % 7) || x - y);
    expect(got).toEqual(expected);
  });

  it('pops in (instant, schedule order) through a long random run of pushes, cancels and pops', () => {
    // Against a plain sorted list: the heap must give exactly the same order, as every run depends on it.
    const rng = new Rng('event-queue');
    const q = new EventQueue();
    const reference: { at: number; seq: number; label: string; cancelled: boolean }[] = [];
    const handles: ReturnType<EventQueue['push']>[] = [];
    let now = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = rng.float();
      if (r < 0.5) {
        // Mostly the same few instants ahead (ties), sometimes fractional, sometimes far.
        const at = now + (r < 0.2 ? 0 : r < 0.35 ? rng.int(5) : r < 0.45 ? rng.int(3) + 0.5 : 10_000 + rng.int(400));
        const ev = q.push(at, `e${i}`, () => {});
        handles.push(ev);
        reference.push({ at, seq: ev.seq, label: ev.label, cancelled: false });
      } else if (r < 0.6 && handles.length) {
        const ev = handles[rng.int(handles.length)];
        q.cancel(ev);
        const ref = reference.find((x) => x.seq === ev.seq);
        if (ref) ref.cancelled = true;
      } else {
        reference.sort((a, b) => a.at - b.at || a.seq - b.seq);
        while (reference.length && reference[0].cancelled) reference.shift();
        const want = reference.shift();
        const got = q.pop();
        expect(got?.label).toBe(want?.label);
        if (got) now = got.at;
      }
    }
    const rest = reference.filter((x) => !x.cancelled).sort((a, b) => a.at - b.at || a.seq - b.seq);
    const drained: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) drained.push(e.label);
    expect(drained).toEqual(rest.map((x) => x.label));
  });
});

describe('Kernel', () => {
  it('advances the virtual clock to each event and to the target of runUntil', () => {
    const k = new Kernel(1);
    const seen: number[] = [];
    k.after(100, 'x', () => seen.push(k.now));
    k.after(50, 'y', () => k.after(25, 'z', () => seen.push(k.now)));
    k.runUntil(80);
    expect(seen).toEqual([75]);
    expect(k.now).toBe(80);
    expect(k.step()).toBe(true);
    expect(seen).toEqual([75, 100]);
    expect(k.step()).toBe(false);
  });

  it('never schedules into the past', () => {
    const k = new Kernel(1);
    k.runUntil(1000);
    let at = -1;
    k.at(10, 'late', () => (at = k.now));
    k.step();
    expect(at).toBe(1000);
  });

  it('draws the same ids from the same seed, and different ones from another', () => {
    const a = new Kernel('seed-a');
    const b = new Kernel('seed-a');
    const c = new Kernel('seed-c');
    const ua = [a.ids.uid(), a.ids.nameSuffix()];
    expect([b.ids.uid(), b.ids.nameSuffix()]).toEqual(ua);
    expect(c.ids.uid()).not.toBe(ua[0]);
    expect(ua[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ua[1]).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('draws uids as four 32-bit words of hex digits, version nibble 4 and the variant over the digits drawn there', () => {
    // Computed with the earlier version, which appended the digits one by one.
    const ids = new IdSource(new Rng('seed-a'));
    expect([ids.uid(), ids.uid(), ids.uid()]).toEqual(['718dba82-7b74-4e47-9f30-2ac945825a51', 'e1919e1a-a6cc-4ebb-859c-437fc6e246e6', '3647a929-2832-41ad-9cb6-3647d991cf6f']);
  });

  it('records wire messages with sequence numbers and the virtual time', () => {
    const k = new Kernel(1);
    k.runUntil(1234);
    const m = k.trace.record({ from: 'a', to: 'b', verb: 'create', resource: 'pods', key: 'default/x', ok: true });
    expect(m).toMatchObject({ seq: 1, t: 1234 });
    expect(k.trace.messages()).toHaveLength(1);
    expect(k.trace.messages(1)).toHaveLength(0);
  });

  it('keeps only the newest messages when the trace has a capacity', () => {
    const k = new Kernel(1);
    k.trace.capacity = 3;
    for (let i = 0; i < 10; i++) k.trace.record({ from: 'a', to: 'b', verb: 'v', resource: 'r', key: String(i), ok: true });
    expect(k.trace.messages().map((m) => m.key)).toEqual(['7', '8', '9']);
    expect(k.trace.count).toBe(10);
  });
});

describe('XState actors on the simulation clock', () => {
  it('fire delayed transitions at virtual time, not wall time', () => {
    const k = new Kernel(1);
    const m = setup({}).createMachine({ initial: 'a', states: { a: { after: { 1500: 'b' } }, b: {} } });
    const actor = startActor(k, m, { systemId: 'test', input: undefined });
    k.runUntil(1499);
    expect(actor.getSnapshot().value).toBe('a');
    k.runUntil(1500);
    expect(actor.getSnapshot().value).toBe('b');
  });
});

describe('Rng', () => {
  it('is uniform enough and bounded', () => {
    const r = new Rng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[r.int(4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (let i = 0; i < 1000; i++) {
      const x = r.range(10, 20);
      expect(x).toBeGreaterThanOrEqual(10);
      expect(x).toBeLessThan(20);
    }
  });
});

describe('Go durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['1m30.5s', 90_500],
  ])('parses %s', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it.each(['', '90', 'abc', '5 m', '1d'])('rejects %j', (s) => expect(() => parseDuration(s)).toThrow(DurationError));

  it('says a unit is missing as Go does', () => expect(() => parseDuration('90')).toThrow('missing unit in duration "90"'));

  it.each([
    [90_000, '1m30s'],
    [5_400_000, '1h30m0s'],
    [250, '250ms'],
    [0, '0s'],
    [1500, '1.5s'],
  ])('formats %d as %s', (ms, s) => expect(formatDuration(ms)).toBe(s));
});
