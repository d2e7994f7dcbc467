import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { COMPLETION_INDEX_ANNOTATION, duplicatedIndexPods, firstPendingIndexes, formatIntervals, indexedGenerateName, mergeIntervals, parseIntervals, withIndexes } from './job-indexed';

const indexed = (name: string, ix: string | undefined, ready = false): Pod => ({
  metadata: { name, annotations: ix === undefined ? {} : { [COMPLETION_INDEX_ANNOTATION]: ix } },
  spec: { nodeName: 'n1', containers: [] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('Indexed Job intervals', () => {
  it('prints completedIndexes as upstream: ranges of three or more with a dash, two neighbours with a comma', () => {
    expect(formatIntervals([{ first: 0, last: 2 }])).toBe('0-2');
    expect(formatIntervals([{ first: 5, last: 6 }])).toBe('5,6');
    expect(formatIntervals([{ first: 1, last: 1 }, { first: 3, last: 7 }, { first: 9, last: 10 }])).toBe('1,3-7,9,10');
    expect(formatIntervals([])).toBe('');
  });

  it('merges neighbours and overlaps', () => {
    expect(mergeIntervals([{ first: 0, last: 2 }], [{ first: 3, last: 3 }, { first: 5, last: 8 }])).toEqual([
      { first: 0, last: 3 },
      { first: 5, last: 8 },
    ]);
    expect(withIndexes([{ first: 4, last: 6 }], [1, 5, 7])).toEqual([
      { first: 1, last: 1 },
      { first: 4, last: 7 },
    ]);
  });

  it('parses status.completedIndexes, dropping indexes beyond completions and skipping corrupt pieces', () => {
    // completions 6: "7" is beyond and stops the parse; "4-9" is cut to 4-5; "x" is skipped.
    expect(parseIntervals('0,1,x,2,4-9,7', 6)).toEqual([
      { first: 0, last: 2 },
      { first: 4, last: 5 },
    ]);
  });

  it('firstPendingIndexes: the lowest indexes neither succeeded nor active', () => {
    // completions 6; succeeded 0-1; active index 3 -> pending 2, 4, 5.
    expect(firstPendingIndexes([indexed('a', '3')], [{ first: 0, last: 1 }], 2, 6)).toEqual([2, 4]);
    expect(firstPendingIndexes([indexed('a', '3')], [{ first: 0, last: 1 }], 10, 6)).toEqual([2, 4, 5]);
  });

  it('removes pods without an index, beyond completions, and all but the best-ranked of a repeated index', () => {
    const ready = indexed('b-ready', '1', true);
    const { rm, left } = duplicatedIndexPods([indexed('x', undefined), indexed('a', '0'), indexed('b-unready', '1'), ready, indexed('z', '9')], 3);
    expect(rm.map((p) => p.metadata!.name).sort()).toEqual(['b-unready', 'x', 'z']);
    expect(left.map((p) => p.metadata!.name)).toEqual(['a', 'b-ready']);
  });

  it('names pods <job>-<index>- and cuts long Job names to stay within 58 characters', () => {
    expect(indexedGenerateName('pi', 3)).toBe('pi-3-');
    const long = 'a'.repeat(60);
    // "-12-" is 4 characters: 54 of the name are kept.
    expect(indexedGenerateName(long, 12)).toBe(`${'a'.repeat(54)}-12-`);
  });
});
