// Nothing from a URL or a file is ever rendered as HTML: the app writes
// text through React only. This guards the rule for every file of the UI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('no HTML from data', () => {
  it('no dangerouslySetInnerHTML, innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in src/', () => {
    const banned = /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/;
    const offenders = sources(root).filter((p) => banned.test(readFileSync(p, 'utf8')));
    expect(offenders.map((p) => p.slice(root.length + 1))).toEqual([]);
  });
});
