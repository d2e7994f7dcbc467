// Live YAML on the default cluster, paused at 30 s (?t=30s): edit the web
// Deployment's replicas 3 -> 6 and see six web pods Running; invalid YAML
// and an invalid object show their problem at its line and change nothing;
// a stale resourceVersion gets the 409 Conflict and a reload. Waits are on
// what the page shows, never on wall time.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-editor';

const editorContent = (page: Page) => page.getByTestId('yaml-editor-content');
const webPodsRunning = (page: Page) => page.locator('[data-testid="pod-token"][data-phase="Running"][data-pod^="default/web-"]');
const actions = (page: Page) => page.getByTestId('action-entry');
const problems = (page: Page) => page.getByTestId('editor-problem');

/** Replaces the editor's whole text, as a paste would. */
async function setText(page: Page, text: string) {
  await editorContent(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // CodeMirror keeps the text verbatim (no auto-indent on a paste).
  await expect.poll(() => editorContent(page).evaluate((el) => (el as HTMLElement).innerText.replace(/\u200b/g, '').trimEnd())).toBe(text.trimEnd());
}

async function openApplyYaml(page: Page) {
  await page.getByTestId('apply-yaml').click();
  await expect(page.getByTestId('editor-panel')).toBeVisible();
  await expect(page.getByTestId('editor-title')).toHaveText('New objects');
  await expect(editorContent(page)).toBeVisible();
}

const deploymentYaml = (replicas: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources:
          requests: {cpu: 250m, memory: 128Mi}
`;

test('edit the web Deployment from the inspector: replicas 3 -> 6, apply, six web pods Running', async ({ page }) => {
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  await expect(webPodsRunning(page)).toHaveCount(3);
  await expect(actions(page)).toHaveCount(0);

  await page.locator('[data-testid="object-row"][data-kind="Deployment"][data-name="web"]').click();
  await page.getByTestId('inspector-edit').click();
  await expect(page.getByTestId('editor-title')).toHaveText('Deployment default/web');
  // The stored object as kubectl -o yaml prints it (keys sorted): spec.replicas is the first "  replicas:" line, before status's.
  const replicasLine = page.locator('.cm-line', { hasText: /^ {2}replicas: 3$/ }).first();
  await expect(replicasLine).toBeVisible();
  await expect(page.getByTestId('editor-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('editor-plan-line')).toHaveText(['deployment.apps/web unchanged (server dry run)']);

  // Change the 3 at the end of that line to a 6, as a person would.
  await replicasLine.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('6');
  await expect(page.getByTestId('editor-dirty')).toBeVisible();
  await expect(page.getByTestId('editor-plan-line')).toHaveText(['deployment.apps/web configured (server dry run)']);
  await page.screenshot({ path: `${SHOTS}/edit-dark.png` });

  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('editor-outcome')).toHaveText(['deployment.apps/web configured']);
  await expect(page.getByTestId('editor-applied')).toContainText('Applied at 00:30.000');
  // The text now shows the object as stored: 6 replicas, a new generation, no edits pending.
  await expect(page.locator('.cm-line', { hasText: /^ {2}replicas: 6$/ }).first()).toBeVisible();
  await expect(page.getByTestId('editor-dirty')).toHaveCount(0);
  await expect(actions(page)).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/applied-dark.png` });

  await page.getByTestId('editor-cancel').click();
  await expect(page.getByTestId('editor-panel')).toHaveCount(0);
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect(webPodsRunning(page)).toHaveCount(6, { timeout: 20_000 });
  await page.getByTestId('play-pause').click();
  await expect(page.locator('[data-testid="object-row"][data-kind="Deployment"][data-name="web"]')).toContainText('6/6 ready');
});

test('invalid YAML shows its error at its line, and Apply changes nothing', async ({ page }) => {
  await page.goto('/?t=30s');
  await expect(webPodsRunning(page)).toHaveCount(3);
  await openApplyYaml(page);
  await expect(page.getByTestId('editor-status')).toHaveAttribute('data-state', 'empty');

  // Line 8 repeats the key of line 7.
  const text = deploymentYaml('6').replace('  replicas: 6\n', '  replicas: 6\n  replicas: 7\n');
  await setText(page, text);
  await expect(problems(page)).toHaveCount(1);
  await expect(problems(page)).toHaveAttribute('data-line', '8');
  await expect(problems(page)).toContainText('line 8 YAML syntax error: Map keys must be unique');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);

  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-status')).toHaveAttribute('data-state', 'invalid');
  await expect(page.getByTestId('editor-status')).toContainText('1 problem: nothing will be applied');
  await expect(page.getByTestId('editor-applied')).toHaveCount(0);
  await expect(actions(page)).toHaveCount(0);
  await page.locator('.cm-lintRange-error').hover();
  await expect(page.locator('.cm-tooltip-lint')).toContainText('Map keys must be unique');
  await page.screenshot({ path: `${SHOTS}/syntax-error-dark.png` });

  // The object parses but the apiserver refuses it: its message, at the replicas line (7).
  await setText(page, deploymentYaml('-1'));
  await expect(problems(page)).toHaveCount(1);
  await expect(problems(page)).toHaveAttribute('data-line', '7');
  await expect(problems(page)).toContainText('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('editor-applied')).toHaveCount(0);
  await expect(actions(page)).toHaveCount(0);

  // The user's text is still there, error and all.
  await expect(page.locator('.cm-line', { hasText: /^ {2}replicas: -1$/ })).toHaveCount(1);
  // Escape with edits asks before throwing them away; keeping them keeps the drawer.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('editor-confirm')).toContainText('lose your edits');
  await page.getByTestId('editor-confirm-no').click();
  await expect(page.getByTestId('editor-panel')).toBeVisible();
  await page.getByTestId('editor-cancel').click();
  await page.getByTestId('editor-confirm-yes').click();
  await expect(page.getByTestId('editor-panel')).toHaveCount(0);

  // Nothing happened to the cluster: still three web pods, also after running on.
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('sim-clock')).not.toHaveText(/^00:3\d/, { timeout: 20_000 });
  await page.getByTestId('play-pause').click();
  await expect(webPodsRunning(page)).toHaveCount(3);
  await expect(actions(page)).toHaveCount(0);
});

test('a stale resourceVersion gets the 409 Conflict, and Reload brings the latest version', async ({ page }) => {
  await page.goto('/?t=30s');
  await openApplyYaml(page);
  const stale = deploymentYaml('6').replace('  namespace: default\n', '  namespace: default\n  resourceVersion: "2"\n');
  await setText(page, stale);
  await expect(page.getByTestId('editor-conflict')).toContainText('409 Conflict: Deployment default/web changed after this text was loaded.');
  // The apiserver's message, at the resourceVersion line.
  await expect(problems(page)).toHaveAttribute('data-line', '6');
  await expect(problems(page)).toContainText(
    'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
  );
  await page.screenshot({ path: `${SHOTS}/conflict-dark.png` });

  // The text was edited, so Reload asks first.
  await page.getByTestId('editor-reload').click();
  await expect(page.getByTestId('editor-confirm')).toContainText('Replace your edits');
  await page.getByTestId('editor-confirm-yes').click();
  await expect(page.getByTestId('editor-conflict')).toHaveCount(0);
  // The stored object replaced the text: its uid, and 3 replicas again.
  await expect(page.locator('.cm-line', { hasText: /^ {2}uid: [0-9a-f-]{36}$/ })).toHaveCount(1);
  await expect(page.locator('.cm-line', { hasText: /^ {2}replicas: 3$/ }).first()).toBeVisible();
  await expect(page.getByTestId('editor-plan-line')).toHaveText(['deployment.apps/web unchanged (server dry run)']);
  await expect(actions(page)).toHaveCount(0);
});

test('new objects pasted together are created; light theme', async ({ page }) => {
  await page.goto('/?t=30s');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('app-header').screenshot({ path: `${SHOTS}/header-light.png` });
  await openApplyYaml(page);
  await expect(page.getByTestId('editor-status')).toHaveText('Nothing to apply yet: write or paste a manifest.');
  await page.screenshot({ path: `${SHOTS}/template-light.png` });
  await setText(
    page,
    `apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: v1
kind: Pod
metadata:
  name: hello
  namespace: team
spec:
  containers:
  - name: hello
    image: nginx:1.27
`,
  );
  await expect(page.getByTestId('editor-plan-line')).toHaveText(['namespace/team created (server dry run)', 'pod/hello created (server dry run)']);
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-outcome')).toHaveText(['namespace/team created', 'pod/hello created']);
  await expect(actions(page)).toHaveCount(1);
  await setText(page, deploymentYaml('-1'));
  await expect(problems(page)).toHaveAttribute('data-line', '7');
  await page.screenshot({ path: `${SHOTS}/invalid-light.png` });
});
