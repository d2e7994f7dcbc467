import { describe, expect, it } from 'vitest';
import { applyCompletion, commonPrefix, wordStart } from './console-completion';

describe('console completion', () => {
  it('finds the word under the cursor', () => {
    expect(wordStart('get po', 6)).toBe(4);
    expect(wordStart('get po', 4)).toBe(4);
    expect(wordStart('get', 3)).toBe(0);
  });

  it('one candidate replaces the word and adds a space, none after TYPE/ or --flag=', () => {
    expect(applyCompletion('cor', 3, ['cordon'])).toEqual({ line: 'cordon ', cursor: 7, candidates: [] });
    expect(applyCompletion('scale dep', 9, ['deployment/'])).toEqual({ line: 'scale deployment/', cursor: 17, candidates: [] });
    expect(applyCompletion('get pods --output=ya', 20, ['--output=yaml'])).toEqual({ line: 'get pods --output=yaml ', cursor: 23, candidates: [] });
  });

  it('several fill in their common prefix and are listed', () => {
    expect(commonPrefix(['node-1', 'node-2', 'node-3'])).toBe('node-');
    expect(applyCompletion('cordon n', 8, ['node-1', 'node-2'])).toEqual({ line: 'cordon node-', cursor: 12, candidates: ['node-1', 'node-2'] });
  });

  it('keeps what follows the cursor, and changes nothing when no candidate fits', () => {
    expect(applyCompletion('get po -o wide', 6, ['pods'])).toEqual({ line: 'get pods -o wide', cursor: 8, candidates: [] });
    expect(applyCompletion('get xyz', 7, [])).toEqual({ line: 'get xyz', cursor: 7, candidates: [] });
    expect(applyCompletion('get xyz', 7, ['pods'])).toEqual({ line: 'get xyz', cursor: 7, candidates: [] });
  });
});
