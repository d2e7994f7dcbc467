// Maps a field path ("spec.template.spec.containers[0].image") to the line
// of a parsed YAML document where it is written, or the nearest parent that
// is written, so every error can point at a line.
import { isMap, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';

export type PathSegment = string | number;

/** "spec.containers[0].image" -> ["spec", "containers", 0, "image"]. Keys with dots in brackets stay whole. */
export function splitFieldPath(field: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

export class YamlSource {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** Where this object sits inside the document (e.g. ["items", 3] for a List item). */
    private readonly base: PathSegment[] = [],
  ) {}

  at(...prefix: PathSegment[]): YamlSource {
    return new YamlSource(this.doc, this.lines, [...this.base, ...prefix]);
  }

  /** 1-based line of the deepest node on `path` that exists. */
  line(path: PathSegment[] | string = []): number | undefined {
    const segments = typeof path === 'string' ? splitFieldPath(path) : path;
    let node: unknown = this.doc.contents;
    let found = node as YamlNode | null;
    for (const seg of [...this.base, ...segments]) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
        if (!pair) break;
        node = pair.value;
        // A pair's value can be null (`key:` with nothing): point at the key then.
        found = ((pair.value as YamlNode | null) ?? (pair.key as YamlNode)) as YamlNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!item) break;
        node = item;
        found = item as YamlNode;
      } else break;
    }
    const offset = found?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}
