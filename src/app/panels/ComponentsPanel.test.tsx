// The left "Control plane" panel, rendered to a string at a paused instant:
// one machine as always; three machines (gallery leader-failover at 70 s:
// control-plane-3 lost power at 60 s, the Lease of kube-scheduler still
// names its scheduler, so nobody leads) grouped by machine; a cloud adds
// cloud-controller-manager.
import { readFileSync } from 'node:fs';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from '../store/cluster-store';
import { ClusterStoreProvider } from '../store/store-context';
import { ComponentsPanel } from './ComponentsPanel';

const example = (name: string) => readFileSync(new URL(`../../scenario/examples/${name}.yaml`, import.meta.url), 'utf8');

function render(yaml: string, at: number): string {
  const store = createClusterStore({ open: () => new History(yaml, UI_CLUSTER_OPTIONS), start: { startAt: at, paused: true } });
  return renderToString(
    <ClusterStoreProvider store={store}>
      <ComponentsPanel />
    </ClusterStoreProvider>,
  );
}

/** Each component row's name and attributes, in document order. */
function rows(html: string): Array<{ name: string; attrs: Record<string, string> }> {
  const out: Array<{ name: string; attrs: Record<string, string> }> = [];
  for (const m of html.matchAll(/<li class="component(?: is-selected)?"([^>]*)>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push({ name: attrs['data-testid'].replace(/^component-/, ''), attrs });
  }
  return out;
}

describe('ComponentsPanel', () => {
  it('one control-plane machine: the three processes and the etcd members, no groups, no load balancer', () => {
    const html = render(DEFAULT_SCENARIO_YAML, 30_000);
    expect(rows(html).map((r) => r.name)).toEqual(['kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'etcd-1', 'etcd-2', 'etcd-3']);
    expect(html).not.toContain('component-machine-');
    expect(html).not.toContain('unknown');
  });

  it('three machines: each a group with its power and its four components; the leader marked, the standbys as standby', () => {
    const html = render(example('leader-failover'), 70_000);
    const groups = [...html.matchAll(/data-testid="component-machine-(control-plane-\d)" data-powered="(true|false)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(groups).toEqual(['control-plane-1:true', 'control-plane-2:true', 'control-plane-3:false']);
    const list = rows(html);
    expect(list.map((r) => r.name)).toEqual([
      'etcd-1',
      'kube-apiserver-1',
      'kube-scheduler-1',
      'kube-controller-manager-1',
      'etcd-2',
      'kube-apiserver-2',
      'kube-scheduler-2',
      'kube-controller-manager-2',
      'etcd-3',
      'kube-apiserver-3',
      'kube-scheduler-3',
      'kube-controller-manager-3',
      'apiserver-lb',
    ]);
    const state = Object.fromEntries(list.map((r) => [r.name, r.attrs['data-state'] ?? r.attrs['data-role']]));
    expect(state).toMatchObject({
      'kube-apiserver-3': 'stopped',
      'kube-scheduler-1': 'standby',
      'kube-scheduler-2': 'standby',
      'kube-scheduler-3': 'stopped',
      'kube-controller-manager-1': 'running',
      'kube-controller-manager-2': 'standby',
      'kube-controller-manager-3': 'stopped',
      'etcd-3': 'stopped',
    });
    const leaders = list.filter((r) => r.attrs['data-leader'] === 'true').map((r) => r.name);
    // kube-controller-manager-1 has led since 0 s; the scheduler's Lease still names the powered-off kube-scheduler-3.
    expect(leaders).toEqual(['kube-controller-manager-1']);
    // The load balancer believes kube-apiserver-3 DOWN: after 3 failed checks 2 s apart, by 66 s.
    expect(list.at(-1)!.attrs).toMatchObject({ 'data-up': '2', 'data-total': '3' });
    expect(html).toContain('2/3 UP');
    expect(html).not.toContain('unknown');
  });

  it('a cloud adds cloud-controller-manager, leading', () => {
    const html = render(example('loadbalancer-node-loss'), 10_000);
    const ccm = rows(html).find((r) => r.name === 'cloud-controller-manager');
    expect(ccm?.attrs).toMatchObject({ 'data-state': 'running', 'data-leader': 'true' });
  });
});
