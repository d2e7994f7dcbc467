import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { timestamp } from '../kernel/time';
import { BackoffStore, finishedTime, remainingBackoff } from './job-backoff';

/** A pod whose only container ended at `s` seconds. */
const ended = (s: number): Pod => ({
  metadata: { name: `p${s}`, creationTimestamp: timestamp(0) },
  spec: { containers: [] },
  status: { phase: 'Failed', containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, finishedAt: timestamp(s * 1000) } } }] },
});

describe('job pod failure backoff', () => {
  it('waits 10 s x 2^(failures-1) from the last failure, capped at 10 minutes', () => {
    // 1 failure at 0 s, now 4 s: 10 - 4 = 6 s left.
    expect(remainingBackoff({ key: 'j', failuresAfterLastSuccess: 1, lastFailureTime: 0 }, 4000)).toBe(6000);
    // 3 failures: 10 x 2^2 = 40 s.
    expect(remainingBackoff({ key: 'j', failuresAfterLastSuccess: 3, lastFailureTime: 0 }, 0)).toBe(40_000);
    // 7 failures: 10 x 2^6 = 640 s, over the 600 s cap.
    expect(remainingBackoff({ key: 'j', failuresAfterLastSuccess: 7, lastFailureTime: 0 }, 0)).toBe(600_000);
    expect(remainingBackoff({ key: 'j', failuresAfterLastSuccess: 2, lastFailureTime: 0 }, 25_000)).toBe(0);
    expect(remainingBackoff({ key: 'j', failuresAfterLastSuccess: 0 }, 0)).toBe(0);
  });

  it('counts failures since the last success; a success finished later resets the count', () => {
    const store = new BackoffStore();
    const r1 = store.next('j', [], [ended(3), ended(5)]);
    expect(r1).toEqual({ key: 'j', failuresAfterLastSuccess: 2, lastFailureTime: 5000 });
    store.update(r1);
    // A success at 8 s and a failure at 9 s: only the later failure counts.
    expect(store.next('j', [{ ...ended(8), status: { ...ended(8).status, phase: 'Succeeded' } }], [ended(9), ended(7)])).toEqual({
      key: 'j',
      failuresAfterLastSuccess: 1,
      lastFailureTime: 9000,
    });
  });

  it('reads the finish time from the containers, else Ready=False, else the deletion', () => {
    expect(finishedTime(ended(12))).toBe(12_000);
    const notReady: Pod = { metadata: {}, status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: timestamp(7000) }] } };
    expect(finishedTime(notReady)).toBe(7000);
    const deleted: Pod = { metadata: { deletionTimestamp: timestamp(40_000), deletionGracePeriodSeconds: 30 } };
    expect(finishedTime(deleted)).toBe(10_000);
  });
});
