import { describe, expect, it } from 'vitest';
import { objectsYaml, objectYaml } from './object-yaml';

describe('objectYaml', () => {
  it('sorts keys at every level, as kubectl -o yaml prints them', () => {
    const text = objectYaml({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web', labels: { b: '1', a: '2' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    expect(text).toBe(
      ['apiVersion: v1', 'kind: Pod', 'metadata:', '  labels:', '    a: "2"', '    b: "1"', '  name: web', 'spec:', '  containers:', '  - image: nginx', '    name: c', ''].join('\n'),
    );
  });

  it('never folds long lines and repeats shared objects instead of aliasing them', () => {
    const shared = { app: 'web' };
    const long = 'x'.repeat(200);
    const text = objectYaml({ a: shared, b: shared, m: long });
    expect(text).not.toContain('&');
    expect(text).toContain(`m: ${long}\n`);
  });

  it('joins several objects with document separators', () => {
    expect(objectsYaml([{ kind: 'A' }, { kind: 'B' }])).toBe('kind: A\n---\nkind: B\n');
  });
});
