import { zlibSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCENARIO_YAML } from './gallery/default-scenario';
import { decodeShareFragment, encodeShareFragment, MAX_INFLATED_BYTES, ShareLinkError, shareDataOf } from './share-codec';
import { openSession, sessionOf, type Session } from './session';
import { loadScenario } from './load';
import type { Action } from '../sim/model';

const examplesDir = join(__dirname, 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ name: f, text: readFileSync(join(examplesDir, f), 'utf8') }));

/** Twenty actions a user might take on the default scenario, in order, with their instants. */
function twentyActions(): Session['actions'] {
  const acts: Action[] = [
    { action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 6 },
    { action: 'cordon', node: 'node-1' },
    { action: 'powerOff', node: 'node-2' },
    { action: 'uncordon', node: 'node-1' },
    { action: 'stopComponent', component: 'etcd-2' },
    { action: 'startComponent', component: 'etcd-2' },
    { action: 'powerOn', node: 'node-2' },
    { action: 'drain', node: 'node-3' },
    { action: 'uncordon', node: 'node-3' },
    { action: 'stopComponent', component: 'kube-scheduler' },
    { action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 2 },
    { action: 'startComponent', component: 'kube-scheduler' },
    { action: 'partition', node: 'node-1' },
    { action: 'heal', node: 'node-1' },
    { action: 'delete', kind: 'Pod', name: 'debug', namespace: 'default' },
    { action: 'stopKubelet', node: 'node-3' },
    { action: 'startKubelet', node: 'node-3' },
    {
      action: 'apply',
      manifests: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'default' },
          spec: {
            replicas: 4,
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '250m', memory: '128Mi' } } }] } },
          },
        },
      ],
    },
    { action: 'fillMemory', node: 'node-1' },
    { action: 'freeMemory', node: 'node-1' },
  ];
  return acts.map((a, i) => ({ ...a, at: 5_000 + i * 7_311 }));
}

describe('share links', () => {
  it('round-trip a session exactly', () => {
    const session: Session = { scenario: DEFAULT_SCENARIO_YAML, actions: twentyActions(), at: 200_000 };
    const back = decodeShareFragment(`#${encodeShareFragment(session)}`);
    expect(back).toEqual(session);
  });

  it('keep the default scenario with 20 user actions within 2,000 characters', () => {
    const fragment = encodeShareFragment({ scenario: DEFAULT_SCENARIO_YAML, actions: twentyActions(), at: 200_000 });
    expect(`#${fragment}`.length).toBeLessThanOrEqual(2_000);
  });

  it.each(examples)('round-trip the example $name with actions', ({ text }) => {
    const { cluster } = loadScenario(text);
    const node = cluster.objects().find((o) => o.kind === 'Node')?.metadata.name ?? 'node-1';
    const session: Session = {
      scenario: text,
      actions: [
        { at: 1_000, action: 'cordon', node },
        { at: 2_500, action: 'stopComponent', component: cluster.componentNames().find((c) => c.startsWith('kube-scheduler'))! },
      ],
      at: 9_000,
    };
    expect(decodeShareFragment(encodeShareFragment(session))).toEqual(session);
  });

  it('replay to the same state as the session they were made from', () => {
    const { cluster } = loadScenario(DEFAULT_SCENARIO_YAML);
    // The user plays in uneven chunks and acts between them, as the UI does.
    for (const entry of twentyActions()) {
      cluster.runUntil(entry.at - 1_234);
      cluster.runUntil(entry.at);
      const { at: _at, ...action } = entry;
      void _at;
      cluster.act(action as Action);
    }
    cluster.runUntil(200_000);
    const live = sessionOf(cluster, DEFAULT_SCENARIO_YAML);
    const replayed = openSession(decodeShareFragment(encodeShareFragment(live)));
    expect(replayed.now).toBe(200_000);
    expect(replayed.stateHash()).toBe(cluster.stateHash());
    expect(replayed.actions.map((a) => a.outcomes)).toEqual(cluster.actions.map((a) => a.outcomes));
  });

  it('find the data in any fragment form', () => {
    expect(shareDataOf('#s=abc')).toBe('abc');
    expect(shareDataOf('s=abc')).toBe('abc');
    expect(shareDataOf('#x=1&s=abc')).toBe('abc');
    expect(shareDataOf('#scenario=default')).toBeUndefined();
  });
});

describe('damaged or hostile share links', () => {
  const good = encodeShareFragment({ scenario: DEFAULT_SCENARIO_YAML, actions: twentyActions(), at: 200_000 });
  const data = good.slice(2);
  const message = (fragment: string) => {
    try {
      decodeShareFragment(fragment);
    } catch (e) {
      expect(e).toBeInstanceOf(ShareLinkError);
      return (e as Error).message;
    }
    throw new Error('decoded a bad link');
  };
  it('a link cut short says so', () => {
    expect(message(`s=${data.slice(0, Math.floor(data.length / 2))}`)).toMatch(/damaged or cut short/);
  });

  it('a link with one character changed fails its checksum', () => {
    const i = Math.floor(data.length / 2);
    const flipped = data.slice(0, i) + (data[i] === 'A' ? 'B' : 'A') + data.slice(i + 1);
    expect(message(`s=${flipped}`)).toMatch(/damaged/);
  });

  it('characters outside base64url are refused before anything is unpacked', () => {
    expect(message('s=<script>alert(1)</script>')).toMatch(/characters a share link never contains/);
  });

  it('data compressed without the dictionary (or by another tool) is refused', () => {
    const foreign = zlibSync(strToU8(JSON.stringify({ v: 1, s: '', a: [], t: 0 })));
    const b64 = btoa(String.fromCharCode(...foreign)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(message(`s=${b64}`)).toMatch(/damaged/);
  });

  it('a zip bomb stops at the cap', () => {
    const bomb = encodeShareFragment({ scenario: 'x'.repeat(MAX_INFLATED_BYTES + 10), actions: [], at: 0 });
    expect(bomb.length).toBeLessThan(20_000);
    expect(message(bomb)).toMatch(/unpacks to more than 4 MB/);
  });

  it('an oversized link is refused with a suggestion', () => {
    expect(message(`s=${'A'.repeat(100_001)}`)).toMatch(/too long.*as a file/);
  });

  it('a missing s= part is named', () => {
    expect(message('#t=30s')).toMatch(/no "s=" part/);
  });

  it('an invalid scenario names its problem and line', () => {
    const bad = encodeShareFragment({ scenario: 'apiVersion: v1\nkind: Nope\nmetadata: {name: x}\n', actions: [], at: 0 });
    expect(message(bad)).toMatch(/scenario in this link is not valid:\n.*line 2.*Nope/);
  });

  it('an action that is not one of the verbs is named with its index', () => {
    const session = { scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 10, action: 'format', node: 'node-1' } as unknown as Session['actions'][0]], at: 20 };
    expect(message(encodeShareFragment(session))).toMatch(/actions\[0\]\.action: Unsupported value: "format"/);
  });

  it('an action after the instant, or out of order, is refused', () => {
    const late = { scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 50, action: 'cordon' as const, node: 'node-1' }], at: 20 };
    expect(message(encodeShareFragment(late))).toMatch(/after its instant/);
    const disorder = {
      scenario: DEFAULT_SCENARIO_YAML,
      actions: [
        { at: 50, action: 'cordon' as const, node: 'node-1' },
        { at: 10, action: 'uncordon' as const, node: 'node-1' },
      ],
      at: 60,
    };
    expect(message(encodeShareFragment(disorder))).toMatch(/actions\[1\]\.at: must not be before/);
  });

  it('__proto__ keys are dropped, not obeyed', () => {
    const session = {
      scenario: DEFAULT_SCENARIO_YAML,
      actions: [{ at: 10, action: 'apply' as const, manifests: [JSON.parse('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x","__proto__":{"polluted":true}}}')] }],
      at: 20,
    };
    const back = decodeShareFragment(encodeShareFragment(session));
    const ns = (back.actions[0] as { manifests: { metadata: object }[] }).manifests[0].metadata;
    expect(Object.keys(ns)).toEqual(['name']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('an instant past a day is refused', () => {
    expect(message(encodeShareFragment({ scenario: DEFAULT_SCENARIO_YAML, actions: [], at: 25 * 3_600_000 }))).toMatch(/instant .* not usable/);
  });
});
