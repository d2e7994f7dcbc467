import { describe, expect, it } from 'vitest';
import { findScenario, scenarioGallery } from '../../scenario/gallery';
import { paragraphs, readStory } from './story';

describe('readStory', () => {
  it('every guided example tells what to watch, to try and what it teaches', () => {
    const told = scenarioGallery().filter((e) => readStory(e.yaml) !== null);
    // The default scenario and the three plain ones (nodes-and-pods, the two scale tests) have no story.
    expect(told.length).toBe(scenarioGallery().length - 4);
    for (const e of told) {
      const s = readStory(e.yaml)!;
      expect([e.name, !!s.title, !!s.watch, !!s.try, !!s.teaches]).toEqual([e.name, true, true, true, true]);
    }
  });

  it('reads node-failure as written, and none from the default scenario or broken text', () => {
    const s = readStory(findScenario('node-failure').entry.yaml)!;
    expect(s.title).toBe('A node fails: grace period, taint, eviction');
    expect(s.watch).toMatch(/^node-1 goes Ready=Unknown about 46 s in/);
    expect(readStory(findScenario('default').entry.yaml)).toBeNull();
    expect(readStory('kind: [')).toBeNull();
  });

  it('reads the metadata wherever the Scenario document has it, and after other documents', () => {
    const meta = 'metadata:\n  annotations:\n    kubeviz.dev/watch: |-\n      pods move\n      spec: in the text\n';
    const spec = 'spec:\n  nodePools: []\n';
    const head = 'apiVersion: kubeviz.dev/v1alpha1\nkind: Scenario\n';
    expect(readStory(head + meta + spec)?.watch).toBe('pods move\nspec: in the text');
    // spec first: the cut holds no metadata, so the whole text is read.
    expect(readStory(head + spec + meta)?.watch).toBe('pods move\nspec: in the text');
    // kind after spec.
    expect(readStory('apiVersion: kubeviz.dev/v1alpha1\n' + spec + 'kind: Scenario\n' + meta)?.watch).toBe('pods move\nspec: in the text');
    // A manifest with its own top-level spec before the Scenario document.
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n---\n';
    expect(readStory(deployment + head + meta + spec)?.watch).toBe('pods move\nspec: in the text');
  });

  it('markup in an annotation stays text', () => {
    const s = readStory('apiVersion: kubeviz.dev/v1alpha1\nkind: Scenario\nmetadata:\n  annotations:\n    kubeviz.dev/watch: "<img src=x onerror=alert(1)>"\n')!;
    expect(s.watch).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('paragraphs', () => {
  it('joins hard-wrapped lines and splits at blank lines', () => {
    expect(paragraphs('one\ntwo\n\nthree  \n four')).toEqual(['one two', 'three four']);
  });
});
