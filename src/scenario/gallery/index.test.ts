import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../load';
import { buildGallery, fileScenarioName, findScenario, scenarioGallery } from './index';

const exampleFiles = readdirSync(new URL('../examples/', import.meta.url)).filter((f) => f.endsWith('.yaml'));

describe('scenario gallery', () => {
  it('lists the default scenario first, then every file of src/scenario/examples by name', () => {
    const names = scenarioGallery().map((e) => e.name);
    expect(names[0]).toBe('default');
    expect(names.slice(1)).toEqual(exampleFiles.map((f) => f.replace(/\.yaml$/, '')).sort());
    expect(names).toContain('scale-50-nodes');
    expect(names).toContain('scale-1000-nodes');
  });

  it('titles come from the description annotation, else metadata.name, else the file name', () => {
    const byName = new Map(scenarioGallery().map((e) => [e.name, e.title]));
    expect(byName.get('scale-1000-nodes')).toBe('1,000 nodes in two pools, a Deployment scaled from 0 to 1,500 pods');
    // A Scenario document with metadata.name and no annotation.
    expect(buildGallery({ y: 'kind: Scenario\nmetadata: {name: named}' })[0].title).toBe('named');
    // nodes-and-pods.yaml has no Scenario document at all.
    expect(byName.get('nodes-and-pods')).toBe('nodes-and-pods');
    const g = buildGallery({ x: 'kind: Scenario\nmetadata: {name: "", annotations: {kubeviz.dev/description: "  Two nodes  "}}', bad: ': : [' });
    expect(g.map((e) => [e.name, e.title])).toEqual([
      ['bad', 'bad'],
      ['x', 'Two nodes'],
    ]);
  });

  it('file paths become names without the folder and the .yaml', () => {
    expect(fileScenarioName('../examples/node-failure.yaml')).toBe('node-failure');
  });

  it('finds a scenario by name; none opens the default; an unknown one opens the default with a notice listing the known names', () => {
    expect(findScenario('scale-50-nodes')).toMatchObject({ ok: true, entry: { name: 'scale-50-nodes' } });
    expect(findScenario(null)).toMatchObject({ ok: true, entry: { name: 'default' } });
    expect(findScenario('')).toMatchObject({ ok: true, entry: { name: 'default' } });
    const miss = findScenario('scale-9000-nodes');
    expect(miss.ok).toBe(false);
    expect(miss.entry.name).toBe('default');
    if (!miss.ok) {
      expect(miss.notice).toContain('scenario="scale-9000-nodes"');
      expect(miss.notice).toContain('default, ');
      expect(miss.notice).toContain('scale-1000-nodes');
    }
  });

  it('the scale scenarios load: 50 and 1,000 Ready nodes and a Deployment at 0 replicas, scaled to 1,500 at 1 s', () => {
    for (const [name, nodes] of [
      ['scale-50-nodes', 50],
      ['scale-1000-nodes', 1000],
    ] as const) {
      const { cluster, parsed } = loadScenario(findScenario(name).entry.yaml);
      const objects = cluster.objects();
      expect(objects.filter((o) => o.kind === 'Node')).toHaveLength(nodes);
      const web = objects.find((o) => o.kind === 'Deployment') as { spec: { replicas: number } } | undefined;
      expect(web?.spec.replicas).toBe(0);
      expect(parsed.model.timeline[0]).toEqual({ at: 1000, action: 'scale', kind: 'Deployment', name: 'web', replicas: 1500, namespace: undefined });
    }
  });
});
