// What a container registry answers about images: does it have the image,
// how big is it, what is its digest. Sizes come from the scenario's
// registry, else from a small table of common images (compressed
// linux/amd64 sizes, rounded), else a default. Names are normalized as
// containerd stores them (docker/distribution's ParseNormalizedNamed):
// "nginx:1.27" is "docker.io/library/nginx:1.27".
import { parseImageRef } from '../api/image';
import { hashString } from '../kernel/rng';
import type { RegistryModel } from '../model';

const MB = 1_000_000;

/** Bytes a node pulls per second unless the scenario's registry says (about 160 Mbit/s). */
export const DEFAULT_PULL_RATE = 20 * MB;
/** Size of an image the table does not know. */
export const DEFAULT_IMAGE_SIZE = 50 * MB;
/** Resolving a reference at the registry (manifest request), paid by every pull, found or not. */
export const REGISTRY_ROUND_TRIP_MS = 200;
/** The sandbox ("pause") image containerd runs every pod in; present on every node. */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** Normalized repository -> size; `alpine`/`slim` tags are smaller where the image has such variants. */
const SIZES: Record<string, { size: number; alpine?: number; slim?: number }> = {
  'registry.k8s.io/pause': { size: 320_000 },
  'docker.io/library/nginx': { size: 72 * MB, alpine: 21 * MB },
  'docker.io/library/httpd': { size: 58 * MB, alpine: 23 * MB },
  'docker.io/library/busybox': { size: 2_200_000 },
  'docker.io/library/alpine': { size: 3_600_000 },
  'docker.io/library/ubuntu': { size: 29 * MB },
  'docker.io/library/debian': { size: 49 * MB, slim: 29 * MB },
  'docker.io/library/redis': { size: 45 * MB, alpine: 17 * MB },
  'docker.io/library/memcached': { size: 32 * MB, alpine: 5 * MB },
  'docker.io/library/postgres': { size: 150 * MB, alpine: 105 * MB },
  'docker.io/library/mysql': { size: 170 * MB },
  'docker.io/library/mongo': { size: 260 * MB },
  'docker.io/library/rabbitmq': { size: 90 * MB, alpine: 60 * MB },
  'docker.io/library/python': { size: 370 * MB, slim: 45 * MB, alpine: 20 * MB },
  'docker.io/library/node': { size: 400 * MB, slim: 70 * MB, alpine: 50 * MB },
  'docker.io/library/golang': { size: 300 * MB, alpine: 90 * MB },
  'docker.io/library/traefik': { size: 50 * MB },
  'docker.io/library/haproxy': { size: 40 * MB, alpine: 15 * MB },
  'docker.io/curlimages/curl': { size: 10 * MB },
  'docker.io/grafana/grafana': { size: 130 * MB },
  'docker.io/prom/prometheus': { size: 110 * MB },
  'registry.k8s.io/e2e-test-images/agnhost': { size: 51 * MB },
  'registry.k8s.io/kube-proxy': { size: 30 * MB },
  'registry.k8s.io/coredns/coredns': { size: 18 * MB },
  'registry.k8s.io/etcd': { size: 57 * MB },
};

/** An image as the registry describes it. */
export interface RegistryImage {
  /** Normalized reference: "docker.io/library/nginx:1.27" (or "...@sha256:..." when pulled by digest). */
  ref: string;
  /** Tags the runtime records for it ([] when pulled by digest only). */
  repoTags: string[];
  /** "docker.io/library/nginx@sha256:<manifest digest>". */
  repoDigest: string;
  /** The image (config) id, "sha256:...". */
  id: string;
  sizeBytes: number;
}

const normalized = new Map<string, string | undefined>();

/** Normalized "domain/path" plus ":tag" or "@digest"; undefined when the reference does not parse. */
export function normalizeImage(image: string): string | undefined {
  if (normalized.has(image)) return normalized.get(image);
  const r = parseImageRef(image);
  const repo = r && normalizeRepository(r.repository);
  const out = !r ? undefined : r.digest ? `${repo}@${r.digest}` : `${repo}:${r.tag}`;
  if (normalized.size > 10_000) normalized.clear();
  normalized.set(image, out);
  return out;
}

function normalizeRepository(repository: string): string {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) return repository;
  return repository.includes('/') ? `docker.io/${repository}` : `docker.io/library/${repository}`;
}

/** 64 hex digits derived from `seed`: stable digests and ids without drawing from the seeded random source. */
export function hex64(seed: string): string {
  return hexFrom(hashString(seed));
}

const HEX_DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** The 64 character codes of the id being made (reused: one string per call, no pieces to join). */
const hexCodes = new Array<number>(64).fill(0);

/** 64 hex digits from a 32-bit seed, stretched with splitmix32 steps (cheap: container ids are made by the hundred thousand). */
export function hexFrom(seed: number): string {
  let s = seed | 0;
  for (let i = 0; i < 8; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = Math.imul(s ^ (s >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    // The word's eight digits, most significant first.
    for (let j = 0; j < 8; j++) hexCodes[8 * i + j] = HEX_DIGIT[(z >>> (28 - 4 * j)) & 15];
  }
  return String.fromCharCode.apply(null, hexCodes);
}

export class ImageCatalog {
  readonly pullRate: number;
  private readonly sizes = new Map<string, number>();
  private readonly missing = new Set<string>();
  /** Answers already given: every node asks for the same few images. */
  private readonly known = new Map<string, RegistryImage | undefined>();

  constructor(registry?: RegistryModel) {
    this.pullRate = registry?.pullRate && registry.pullRate > 0 ? registry.pullRate : DEFAULT_PULL_RATE;
    for (const img of registry?.images ?? []) {
      const n = normalizeImage(img.name);
      if (n) this.sizes.set(n, img.sizeBytes);
    }
    for (const name of registry?.missing ?? []) {
      const n = normalizeImage(name);
      if (n) this.missing.add(n);
    }
  }

  /** The registry's answer for a (normalized) reference: the image, or undefined when it has no such image. */
  lookup(ref: string): RegistryImage | undefined {
    if (this.known.has(ref)) return this.known.get(ref);
    const img = this.describe(ref);
    this.known.set(ref, img);
    return img;
  }

  private describe(ref: string): RegistryImage | undefined {
    if (this.missing.has(ref)) return undefined;
    const at = ref.indexOf('@');
    const repo = at >= 0 ? ref.slice(0, at) : ref.slice(0, ref.lastIndexOf(':'));
    const tag = at >= 0 ? '' : ref.slice(ref.lastIndexOf(':') + 1);
    const digest = at >= 0 ? ref.slice(at + 1) : `sha256:${hex64(`manifest ${ref}`)}`;
    return {
      ref,
      repoTags: at >= 0 ? [] : [ref],
      repoDigest: `${repo}@${digest}`,
      id: `sha256:${hex64(`config ${ref}`)}`,
      sizeBytes: this.sizeOf(ref, repo, tag),
    };
  }

  /** How long a pull of `sizeBytes` takes, ms: the registry round trip plus the transfer. */
  pullTime(sizeBytes: number): number {
    return REGISTRY_ROUND_TRIP_MS + Math.round((sizeBytes / this.pullRate) * 1000);
  }

  private sizeOf(ref: string, repo: string, tag: string): number {
    const own = this.sizes.get(ref);
    if (own !== undefined) return own;
    const known = SIZES[repo];
    if (!known) return DEFAULT_IMAGE_SIZE;
    if (known.alpine && tag.includes('alpine')) return known.alpine;
    if (known.slim && tag.includes('slim')) return known.slim;
    return known.size;
  }
}
