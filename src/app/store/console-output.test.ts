import { describe, expect, it } from 'vitest';
import { append, appendResult, emptyScrollback, readInput, splitLines } from './console-output';

describe('console scrollback', () => {
  it('splits text into lines: a final newline ends a line, it does not start one', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\n\nb')).toEqual(['a', '', 'b']);
    expect(splitLines('')).toEqual([]);
  });

  it('keeps the newest lines past its limit, ids still increasing', () => {
    let s = emptyScrollback();
    for (let i = 0; i < 5; i++) s = append(s, 'stdout', `line ${i}\n`, 3);
    expect(s.lines.map((l) => `${l.id}:${l.text}`)).toEqual(['3:line 2', '4:line 3', '5:line 4']);
  });

  it('stderr is an error when the command failed, a notice when it did not', () => {
    const failed = appendResult(emptyScrollback(), { output: '', error: 'error: x\n', exitCode: 1, actions: [] });
    expect(failed.lines.map((l) => l.kind)).toEqual(['error']);
    const fine = appendResult(emptyScrollback(), { output: 'NAME\n', error: 'Warning: y\n', exitCode: 0, actions: [] });
    expect(fine.lines.map((l) => l.kind)).toEqual(['stdout', 'notice']);
  });

  it('reads clear as the console own command, anything else as kubectl', () => {
    expect(readInput('  clear ')).toEqual({ kind: 'clear' });
    expect(readInput('   ')).toEqual({ kind: 'empty' });
    expect(readInput(' kubectl get pods ')).toEqual({ kind: 'kubectl', line: 'kubectl get pods' });
  });
});
