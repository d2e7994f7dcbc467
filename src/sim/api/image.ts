// Container image references ("nginx", "nginx:1.27", "ghcr.io/a/b@sha256:..."),
// read the way the kubelet's parsers.ParseImageName does: no tag and no
// digest means the tag "latest".

export interface ImageRef {
  /** Repository without tag or digest: "nginx", "registry:5000/team/app". */
  repository: string;
  tag: string;
  digest: string;
}

const WHITESPACE_RE = /\s/;
const UPPER_RE = /[A-Z]/;

/** The parts of an image reference, or undefined when the reference can not be parsed. */
export function parseImageRef(image: string): ImageRef | undefined {
  if (typeof image !== 'string' || image.length === 0 || WHITESPACE_RE.test(image)) return undefined;
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  let tag = hasTag ? name.slice(colon + 1) : '';
  // Repository paths are lower case; only a registry host (first part with '.' or ':', or localhost) may not be.
  const parts = repository.split('/');
  const first = parts[0];
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasHost ? parts.slice(1).join('/') : repository;
  if (!repository || !path || UPPER_RE.test(path) || (hasTag && !tag) || (at >= 0 && !digest)) return undefined;
  if (!tag && !digest) tag = 'latest';
  return { repository, tag, digest };
}

/** SetDefaults_Container: Always for ":latest" (or no tag), otherwise IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return parseImageRef(image ?? '')?.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
