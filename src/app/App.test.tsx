import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/gallery/default-scenario';
import { History } from '../scenario/history';
import { App } from './App';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './store/cluster-store';
import { useClusterStore } from './store/store-context';
import { selectNow } from './store/selectors';

describe('App', () => {
  it('shows the default cluster: clock, components, objects', () => {
    const store = createClusterStore({ open: () => new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS), start: { startAt: 30_000, paused: true } });
    const html = renderToString(<App store={store} />);
    expect(html).toContain('00:30.000');
    expect(html).toContain('data-testid="component-etcd-1"');
    expect(html).toContain('data-testid="component-kube-apiserver"');
    // Every object but the Events (their own tab) and the nodes' Leases is a row.
    const listed = store.getState().objects.filter((r) => r.kind !== 'Event' && r.kind !== 'Lease');
    expect(listed.length).toBeGreaterThan(10);
    expect(html.match(/data-testid="object-row"/g)?.length).toBe(listed.length);
  });

  it('shows why the scenario could not be loaded instead of a blank page', () => {
    const store = createClusterStore({
      open: () => new History('apiVersion: v1\nkind: Pod\nmetadata: {}\n'),
    });
    const html = renderToString(<App store={store} />);
    expect(html).toContain('data-testid="load-error"');
    expect(html).toContain('document 1');
    expect(html).not.toContain('sim-clock');
  });

  it('useClusterStore without a provider says what is missing', () => {
    function Orphan() {
      useClusterStore(selectNow);
      return null;
    }
    expect(() => renderToString(<Orphan />)).toThrow(/ClusterStoreProvider/);
  });
});
