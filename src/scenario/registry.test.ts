import { describe, expect, it } from 'vitest';
import { loadScenario } from './load';
import { parseScenario } from './parse';
import { ScenarioError, type ScenarioProblem } from './problems';

const HEAD = `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: r}
spec:
`;

const problemsOf = (text: string): ScenarioProblem[] => {
  try {
    parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
};

describe('spec.registry', () => {
  it('reads the pull rate, image sizes (bytes or quantities) and missing images', () => {
    const m = parseScenario(`${HEAD}  registry:
    pullRate: 25M
    images:
    - {name: example.com/shop/cart:2.0, sizeBytes: 120000000}
    - {name: nginx:1.27, sizeBytes: 70Mi}
    missing: [nope:1.0]
`);
    expect(m.registry).toEqual({
      pullRate: 25_000_000,
      images: [
        { name: 'example.com/shop/cart:2.0', sizeBytes: 120_000_000 },
        { name: 'nginx:1.27', sizeBytes: 73_400_320 },
      ],
      missing: ['nope:1.0'],
    });
    expect(parseScenario(`${HEAD}  seed: 3\n`).registry).toBeUndefined();
  });

  it('names the field and line of each mistake', () => {
    const p = problemsOf(`${HEAD}  registry:
    pullRate: fast
    images:
    - {name: "Not An Image", sizeBytes: 10}
    - {name: ok:1}
    - {name: a:1, sizeBytes: -5, color: red}
    missing: nope
    mirror: true
`);
    // Lines count from the Scenario document's first line (registry: is line 5).
    expect(p.map((x) => `${x.line} ${x.field}: ${x.message}`)).toEqual([
      '12 spec.registry.mirror: unknown field (known: pullRate, images, missing)',
      '6 spec.registry.pullRate: Invalid value: "fast": must be a positive number of bytes per second, such as 20000000 or "20M"',
      '8 spec.registry.images[0].name: Invalid value: "Not An Image": must be an image reference such as "nginx:1.27"',
      '9 spec.registry.images[1].sizeBytes: Required value: the image size in bytes',
      '10 spec.registry.images[2].color: unknown field (known: name, sizeBytes)',
      '10 spec.registry.images[2].sizeBytes: Invalid value: -5: must be a positive number of bytes, such as 20000000 or "20M"',
      '11 spec.registry.missing: must be a list of image references',
    ]);
  });

  it('reaches the kubelets: a missing image cannot be pulled', () => {
    const { cluster } = loadScenario(`${HEAD}  registry: {missing: ["ghost:1"]}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: "ghost:1"}]}
`);
    cluster.runUntil(5000);
    const r = cluster.apiserver.client('t').get('Pod', 'default', 'p');
    expect(r.ok && (r.object.status as { containerStatuses?: Array<{ state: { waiting?: { reason: string } } }> }).containerStatuses?.[0].state.waiting?.reason).toBe('ErrImagePull');
  });
});
