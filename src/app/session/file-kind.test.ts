import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { writeSessionFile } from '../../scenario/session-file';
import { classifyFile, FileReadError, MAX_FILE_BYTES, readFileText } from './file-kind';

const KUBECTL_DUMP = readFileSync(new URL('../../scenario/fixtures/kubectl-get-all.yaml', import.meta.url), 'utf8');

describe('classifyFile', () => {
  it('tells a saved session, kubectl output (stamped uids) and a scenario apart', () => {
    expect(classifyFile(writeSessionFile({ scenario: DEFAULT_SCENARIO_YAML, actions: [], at: 0 }))).toBe('session');
    expect(classifyFile(KUBECTL_DUMP)).toBe('kubectl');
    expect(classifyFile(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Node', metadata: { name: 'a', uid: 'x' } }] }))).toBe('kubectl');
    expect(classifyFile(DEFAULT_SCENARIO_YAML)).toBe('scenario');
  });
});

describe('readFileText', () => {
  it('reads UTF-8 text, dropping a byte-order mark', async () => {
    expect(await readFileText(new File(['\uFEFFkind: Pod\n'], 'a.yaml'))).toBe('kind: Pod\n');
  });

  it('refuses binary, gzip and oversized files with their name', async () => {
    const gzip = new File([new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe])], 'scenario.yaml.gz');
    await expect(readFileText(gzip)).rejects.toThrow(new FileReadError('“scenario.yaml.gz” is not a text file (a scenario is YAML or JSON; was it compressed?).'));
    await expect(readFileText(new File(['a\u0000b'], 'nul.yaml'))).rejects.toThrow(/“nul\.yaml” is not a text file/);
    const big = { name: 'big.yaml', size: MAX_FILE_BYTES + 1, arrayBuffer: async () => new ArrayBuffer(0) } as unknown as File;
    await expect(readFileText(big)).rejects.toThrow('“big.yaml” is 64 MB, more than the 64 MB kubeviz opens.');
  });
});
