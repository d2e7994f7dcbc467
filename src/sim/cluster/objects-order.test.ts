import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) as KubeObject;
const pod = (namespace: string, name: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } }) as KubeObject;

describe("the cluster's objects", () => {
  it('come kind by kind, then by namespace, then by name, also where one namespace begins another', () => {
    // etcd's key order puts "a-b/x" and "a-c/y" before "a/z" ('-' sorts before '/'); by namespace "a" comes first.
    const c = createCluster({ ...emptyScenario(), objects: [ns('a-c'), ns('a'), ns('a-b'), pod('a-c', 'y'), pod('a-b', 'x'), pod('a', 'z'), pod('a', 'b')] });
    const pods = c
      .objects()
      .filter((o) => o.kind === 'Pod' && o.metadata.namespace!.startsWith('a'))
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(pods).toEqual(['a/b', 'a/z', 'a-b/x', 'a-c/y']);
    const kinds = c.objects().map((o) => o.kind);
    expect(kinds.indexOf('Namespace')).toBeLessThan(kinds.indexOf('Pod'));
  });
});
