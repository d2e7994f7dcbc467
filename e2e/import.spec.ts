// Import a real cluster: the output of `kubectl get nodes,pods,... -A -o
// yaml` (the fixture src/scenario/fixtures/kubectl-get-all.yaml, a List from
// a kubeadm cluster) pasted or dropped into the import dialog becomes a
// scenario of that cluster: the dialog lists what was changed, left out or
// not modelled, then opens it with the same nodes. Errors stay in the
// dialog with the text kept. Dropping files on the page opens them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-share';
const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'src', 'scenario', 'fixtures', 'kubectl-get-all.yaml'), 'utf8');
const CRASH_LOOP = readFileSync(join(import.meta.dirname, '..', 'src', 'scenario', 'examples', 'crash-loop.yaml'), 'utf8');
const NODES = ['k8s-cp-1', 'k8s-worker-1', 'k8s-worker-2'];

async function openImport(page: Page) {
  await page.getByTestId('scenarios-button').click();
  await page.getByTestId('menu-import').click();
  await expect(page.getByTestId('import-dialog')).toBeVisible();
}

/** Drops a file on the page as a person dragging it from their file manager would. */
async function dropFile(page: Page, name: string, text: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/yaml' }));
      return dt;
    },
    { name, text },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('file-drop')).toBeVisible();
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('file-drop')).toHaveCount(0);
}

test('paste kubectl output: the notes say what changed, then the cluster opens with its nodes', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?paused');
  await openImport(page);
  // A real paste (Ctrl+V from the clipboard): one insertion, as a person pastes 100 KB of kubectl output.
  await page.evaluate((text) => navigator.clipboard.writeText(text), FIXTURE);
  await page.getByTestId('import-text').focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(page.getByTestId('import-text')).toHaveValue(FIXTURE);
  await page.getByTestId('import-read').click();
  // The fixture: 31 objects; the Service default/kubernetes, a finished Job pod and the kubeadm Events are left out.
  await expect(page.getByTestId('import-summary')).toContainText('31 objects read: 28 imported, 3 left out.');
  await expect(page.getByTestId('import-summary')).toContainText('3 Nodes, 14 Pods, 2 Deployments, 3 ReplicaSets, 1 DaemonSet, 1 StatefulSet, 1 Job, 3 Services');
  await expect(page.locator('[data-testid="import-note"][data-action="left-out"]').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/import-dialog.png` });

  await page.getByTestId('import-open').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);
  await expect(page.getByTestId('scenario-name')).toHaveText('imported-3-nodes');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:00.000');
  const cards = page.getByTestId('worker-card');
  await expect(cards).toHaveCount(3);
  expect((await cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.node))).sort()).toEqual(NODES);
  // Its pods are on the nodes kubectl said they were on.
  await expect.poll(() => page.locator('[data-testid="worker-card"][data-node="k8s-worker-1"] [data-testid="pod-token"]').count()).toBeGreaterThan(0);
  // The importer's suggestion is the story: what if a node dies?
  await expect(page.getByTestId('story-try')).toContainText('What if a node dies?');
  await page.screenshot({ path: `${SHOTS}/imported.png` });
});

test('input that is not kubectl output: the error stays in the dialog, with the text', async ({ page }) => {
  await page.goto('/?paused');
  await openImport(page);
  await page.getByTestId('import-read').click();
  await expect(page.getByTestId('import-error')).toContainText('Nothing to import yet');
  const bad = 'items:\n- kind: Node\n  metadata: {name: [a\n';
  await page.getByTestId('import-text').fill(bad);
  await page.getByTestId('import-read').click();
  await expect(page.getByTestId('import-error')).toContainText('This cannot be imported: the input is not valid YAML or JSON: document 1, line');
  await expect(page.getByTestId('import-text')).toHaveValue(bad);
  await expect(page.getByTestId('import-open')).toBeDisabled();
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('scenario-name')).toHaveText('default');
});

test('kubectl output dropped on the page goes to the import dialog, read at once', async ({ page }) => {
  await page.goto('/?paused');
  await dropFile(page, 'cluster.yaml', FIXTURE);
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-text')).toHaveValue(FIXTURE);
  await expect(page.getByTestId('import-summary')).toContainText('28 imported');
  await page.getByTestId('import-open').click();
  await expect(page.getByTestId('scenario-name')).toHaveText('imported-3-nodes');
});

test('a scenario file dropped on the page opens in place', async ({ page }) => {
  await page.goto('/?paused');
  await dropFile(page, 'crash-loop.yaml', CRASH_LOOP);
  await expect(page.getByTestId('scenario-name')).toHaveText('crash-loop');
  await expect(page.getByTestId('story-title')).toHaveText('A crash-looping container');
  // A file's session is not a gallery link: the address bar names nothing.
  expect(new URL(page.url()).hash).toBe('');
});
