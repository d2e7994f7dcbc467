import { describe, expect, it } from 'vitest';
import { resourceByName, type KubeObject } from '../api/types';
import { StartingObjects, type Prepared } from './starting-objects';

const obj = (kind: string, name: string, namespace?: string): Prepared => ({
  info: resourceByName(kind)!,
  obj: { apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) } } as KubeObject,
});

describe('the starting objects', () => {
  it('keeps store order, refuses an undeclared namespace and a name taken in the same resource and namespace', () => {
    const s = new StartingObjects(new Set(['default', 'kube-system']));
    expect(s.add(obj('Pod', 'a', 'default'))).toBeUndefined();
    expect(s.add(obj('Pod', 'a', 'kube-system'))).toBeUndefined();
    expect(s.add(obj('Service', 'a', 'default'))).toBeUndefined();
    expect(s.add(obj('Pod', 'a', 'default'))).toBe('pods "a" already exists');
    expect(s.add(obj('Pod', 'b', 'team'))).toBe('namespaces "team" not found (add a Namespace document to the scenario)');
    expect(s.add(obj('Node', 'n1'))).toBeUndefined();
    expect(s.add(obj('Node', 'n1'))).toBe('nodes "n1" already exists');
    expect(s.list.map((p) => `${p.obj.kind} ${p.obj.metadata.namespace ?? ''}/${p.obj.metadata.name}`)).toEqual(['Pod default/a', 'Pod kube-system/a', 'Service default/a', 'Node /n1']);
    expect(s.nodes.map((n) => n.metadata!.name)).toEqual(['n1']);
  });

  it('shares the names a stamper takes with add', () => {
    const s = new StartingObjects(new Set(['default']));
    s.add(obj('Pod', 'web-1', 'default'));
    const names = s.namesIn('pods', 'default');
    expect(names.has('web-1')).toBe(true);
    names.add('web-2');
    s.push(obj('Pod', 'web-2', 'default'));
    expect(s.add(obj('Pod', 'web-2', 'default'))).toBe('pods "web-2" already exists');
    expect(s.length).toBe(2);
  });

  it('finds a workload and puts its replacement in its place', () => {
    const s = new StartingObjects(new Set(['default']));
    s.add(obj('Deployment', 'web', 'default'));
    s.add(obj('Pod', 'x', 'default'));
    s.add(obj('DaemonSet', 'agent', 'default'));
    expect(s.findWorkload('deployments', 'default', 'web')?.obj.kind).toBe('Deployment');
    expect(s.findWorkload('daemonsets', 'default', 'web')).toBeUndefined();
    const found = s.findWorkload('daemonsets', 'default', 'agent')!;
    s.replaceWorkload({ ...found, obj: { ...found.obj, status: { numberReady: 3 } } as KubeObject });
    expect(s.list.map((p) => p.obj.kind)).toEqual(['Deployment', 'Pod', 'DaemonSet']);
    expect(s.list[2].obj.status).toEqual({ numberReady: 3 });
    expect(s.findWorkload('daemonsets', 'default', 'agent')!.obj.status).toEqual({ numberReady: 3 });
  });
});
