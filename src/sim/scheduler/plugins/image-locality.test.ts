import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import type { NodeInfo, ScorePlugin } from '../framework/types';
import { CycleState } from '../framework/types';
import { IMAGE_LOCALITY, calculatePriority, newImageLocality, normalizedImageName } from './image-locality';
import { MiB, makeHandle, makeNodeInfo, makePod, spreadImages } from './test-nodes';

function scores(pod: Pod, nodes: NodeInfo[]): number[] {
  const p = newImageLocality(undefined, makeHandle(nodes)) as ScorePlugin;
  expect(p.name).toBe(IMAGE_LOCALITY);
  return nodes.map((n) => p.score(new CycleState(), pod, n));
}

describe('normalizedImageName', () => {
  it('adds :latest when there is no tag, and nothing else', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
    expect(normalizedImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizedImageName('nginx@sha256:abc')).toBe('nginx@sha256:abc');
    // no docker.io/library/ prefix (upstream's TODO)
    expect(normalizedImageName('library/nginx')).toBe('library/nginx:latest');
  });
});

describe('ImageLocality', () => {
  it('scales the image size by its spread: 500MiB on 1 of 2 nodes', () => {
    const nodes = [
      makeNodeInfo({ name: 'a', images: [{ names: ['nginx:1.27'], sizeBytes: 500 * MiB }] }),
      makeNodeInfo({ name: 'b' }),
    ];
    spreadImages(nodes);
    // sum = trunc(524288000 * 1/2) = 262144000; 100 * (262144000 - 23MiB) / (1000MiB - 23MiB) = 23.2 -> 23; b has none -> 0
    expect(scores(makePod({ image: 'nginx:1.27' }), nodes)).toEqual([23, 0]);
  });

  it('clamps to the thresholds: under 23MiB scores 0, past 1000MiB per container scores 100', () => {
    const small = [makeNodeInfo({ name: 'a', images: [{ names: ['tiny:1'], sizeBytes: 10 * MiB }] })];
    expect(scores(makePod({ image: 'tiny:1' }), small)).toEqual([0]);
    const big = [makeNodeInfo({ name: 'a', images: [{ names: ['big:1'], sizeBytes: 2000 * MiB }] })];
    expect(scores(makePod({ image: 'big:1' }), big)).toEqual([100]);
    expect(calculatePriority(23 * MiB, 1)).toBe(0);
    expect(calculatePriority(1000 * MiB, 1)).toBe(100);
  });

  it('matches an untagged image as :latest, not under docker.io/library/', () => {
    const nodes = [
      makeNodeInfo({ name: 'a', images: [{ names: ['nginx:latest'], sizeBytes: 2000 * MiB }] }),
      makeNodeInfo({ name: 'b', images: [{ names: ['docker.io/library/nginx:latest'], sizeBytes: 2000 * MiB }] }),
    ];
    // numNodes 1 of 2: trunc(2000MiB / 2) = 1000MiB -> 100 on a; b holds it under another name -> 0
    expect(scores(makePod({ image: 'nginx' }), nodes)).toEqual([100, 0]);
  });

  it('counts init containers, in the images and in the container count', () => {
    const nodes = [
      makeNodeInfo({
        name: 'a',
        images: [
          { names: ['busybox:1.36'], sizeBytes: 100 * MiB },
          { names: ['nginx:1.27'], sizeBytes: 500 * MiB },
        ],
      }),
    ];
    const pod = makePod({ initContainers: [{ image: 'busybox:1.36' }], containers: [{ image: 'nginx:1.27' }] });
    // sum 600MiB; max 2 x 1000MiB: 100 * (600MiB - 23MiB) / (2000MiB - 23MiB) = 29.2 -> 29
    expect(scores(pod, nodes)).toEqual([29]);
  });

  it('counts an image once per container that uses it, each scaled by its spread', () => {
    const nodes = [
      makeNodeInfo({ name: 'a', images: [{ names: ['app:1'], sizeBytes: 300 * MiB }] }),
      makeNodeInfo({ name: 'b' }),
      makeNodeInfo({ name: 'c' }),
    ];
    spreadImages(nodes);
    const pod = makePod({ containers: [{ image: 'app:1' }, { image: 'app:1' }] });
    // each trunc(314572800 / 3) = 104857600; sum 209715200 of max 2000MiB: 100 * (200MiB - 23MiB) / 1977MiB = 8.95 -> 8
    expect(scores(pod, nodes)).toEqual([8, 0, 0]);
  });
});
