// The kubectl console (issue 6 parts 4-6) on the default scenario, paused at
// 30 s: kubectl's own output for get, scale, cordon and drain; errors in
// kubectl's words; history, tab completion, a watch that streams while the
// simulation runs and stops with Ctrl+C; apply -f - through the YAML
// editor. Every change is a timeline action in the Actions panel, at its
// instant. Waits are on what the page shows, never on wall time.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-faults';
const input = (page: Page) => page.getByTestId('console-input');
const lines = (page: Page, kind?: string) => page.locator(kind ? `[data-testid="console-line"][data-kind="${kind}"]` : '[data-testid="console-line"]');
const actions = (page: Page) => page.getByTestId('action-entry');

async function run(page: Page, line: string) {
  await input(page).fill(line);
  await input(page).press('Enter');
  await expect(lines(page, 'command').last()).toHaveText(`$ kubectl ${line}`);
}

/** The text of the lines printed after the last command. */
async function answer(page: Page): Promise<string[]> {
  const all = await lines(page).evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), text: (e.textContent ?? '').replace(/\u00a0/g, '') })));
  let i = all.length - 1;
  while (i >= 0 && all[i].kind !== 'command') i--;
  return all.slice(i + 1).map((l) => l.text);
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
});

test('get pods -o wide, scale, cordon and drain answer as kubectl does, and each change is in the action log at 30 s', async ({ page }) => {
  await page.getByTestId('console-toggle').click();
  await expect(page.getByTestId('console')).toBeVisible();
  await expect(input(page)).toBeFocused();

  await run(page, 'get pods -o wide');
  expect(await answer(page)).toEqual([
    'NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES',
    'debug                  1/1     Running   0          30s   10.244.0.2   node-1   <none>           <none>',
    'web-64f5c8754f-7qmbj   1/1     Running   0          30s   10.244.1.2   node-2   <none>           <none>',
    'web-64f5c8754f-k6tjv   1/1     Running   0          30s   10.244.0.3   node-1   <none>           <none>',
    'web-64f5c8754f-klxrv   1/1     Running   0          30s   10.244.2.2   node-3   <none>           <none>',
  ]);

  await run(page, 'scale deployment web --replicas=5');
  expect(await answer(page)).toEqual(['deployment.apps/web scaled']);
  await run(page, 'cordon node-2');
  expect(await answer(page)).toEqual(['node/node-2 cordoned']);
  // The debug pod has no controller: drain refuses (upstream's words), after cordoning.
  await run(page, 'drain node-1 --ignore-daemonsets');
  expect(await answer(page)).toEqual([
    'node/node-1 cordoned',
    'error: unable to drain node "node-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/debug, continuing command...',
    'There are pending nodes to be drained:',
    ' node-1',
    'cannot delete Pods that declare no controller (use --force to override): default/debug',
  ]);
  await expect(lines(page, 'error')).toHaveCount(4);
  await expect(lines(page, 'error').first()).toHaveCSS('color', /rgb\(242, 86, 77\)/);

  // Scale, cordon node-2, cordon node-1: newest first, all at 30 s, all from the user.
  await expect(actions(page)).toHaveCount(3);
  const entries = await actions(page).allTextContents();
  expect(entries[2]).toContain('scale Deployment default/web to 5');
  expect(entries[2]).toContain('deployment.apps/web scaled');
  expect(entries[1]).toContain('cordon node-2');
  expect(entries[0]).toContain('cordon node-1');
  for (const e of entries) expect(e).toContain('30.000s');
  await expect(page.locator('[data-testid="worker-card"][data-node="node-2"]').getByTestId('node-cordoned')).toBeVisible();

  // Five web pods once the simulation runs.
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect(page.locator('[data-testid="pod-token"][data-phase="Running"][data-pod^="default/web-"]')).toHaveCount(5, { timeout: 30_000 });
  await page.getByTestId('play-pause').click();
  await run(page, 'get deployment web');
  expect((await answer(page))[1]).toMatch(/^web +5\/5 +5 +5 +\S+$/);
  await page.screenshot({ path: `${SHOTS}/console-1440x900.png` });
});

test("bad input gets kubectl's error, never a crash", async ({ page }) => {
  await page.keyboard.press('`');
  await expect(page.getByTestId('console')).toBeVisible();
  await run(page, 'get pdos');
  expect(await answer(page)).toEqual(['error: the server doesn\'t have a resource type "pdos"']);
  await run(page, 'scael deployment web');
  expect(await answer(page)).toEqual(['error: unknown command "scael" for "kubectl"', '', 'Did you mean this?', '\tscale']);
  await run(page, 'get pods | grep web');
  expect((await answer(page))[0]).toMatch(/^error: this console runs one kubectl command/);
  await run(page, 'drain node-9');
  expect(await answer(page)).toEqual(['Error from server (NotFound): nodes "node-9" not found']);
  await expect(lines(page, 'error')).toHaveCount(7);
  await expect(actions(page)).toHaveCount(0);
  // The app is still there and the console still answers.
  await run(page, 'get nodes --no-headers');
  expect(await answer(page)).toHaveLength(3);
});

test('history with Up and Down, Tab completion, clear, and ` or Escape to close', async ({ page }) => {
  await page.getByTestId('console-toggle').click();
  await run(page, 'get nodes');
  await run(page, 'version');
  await input(page).press('ArrowUp');
  await expect(input(page)).toHaveValue('version');
  await input(page).press('ArrowUp');
  await expect(input(page)).toHaveValue('get nodes');
  await input(page).press('ArrowDown');
  await input(page).press('ArrowDown');
  await expect(input(page)).toHaveValue('');

  await input(page).fill('get deployme');
  await input(page).press('Tab');
  await expect(input(page)).toHaveValue('get deployments ');
  await input(page).fill('cordon node-');
  await input(page).press('Tab');
  await expect(page.getByTestId('console-candidates')).toHaveText('node-1node-2node-3');
  await input(page).pressSequentially('2');
  await expect(page.getByTestId('console-candidates')).toHaveCount(0);
  await input(page).press('Tab');
  await expect(input(page)).toHaveValue('cordon node-2 ');

  await input(page).fill('clear');
  await input(page).press('Enter');
  await expect(lines(page)).toHaveCount(0);
  await input(page).press('Escape');
  await expect(page.getByTestId('console')).toBeHidden();
  await page.keyboard.press('`');
  await expect(page.getByTestId('console')).toBeVisible();
  await input(page).press('`');
  await expect(page.getByTestId('console')).toBeHidden();
});

test('get pods -w streams new rows as the simulation runs; Ctrl+C and Stop end it', async ({ page }) => {
  await page.getByTestId('console-toggle').click();
  await run(page, 'get pods -w');
  await expect(page.getByTestId('console-running')).toHaveText('get pods -w is running · Ctrl+C stops it');
  const before = await lines(page).count();
  // A change from elsewhere (node-1 drained from its menu) makes pods move: the watch prints them.
  await page.locator('[data-testid="worker-card"][data-node="node-1"]').getByTestId('node-menu-button').click();
  await page.getByTestId('menu-drain').click();
  await page.getByTestId('speed-100x').click();
  await page.getByTestId('play-pause').click();
  await expect.poll(() => lines(page).count(), { timeout: 30_000 }).toBeGreaterThan(before + 3);
  await page.getByTestId('play-pause').click();
  const rows = await answer(page);
  expect(rows[0]).toMatch(/^NAME +READY +STATUS/);
  expect(rows.slice(5).every((r) => /^(debug|web-\S+) +\d\/1 +\S+/.test(r))).toBe(true);
  await input(page).focus();
  await page.keyboard.press('Control+C');
  await expect(lines(page, 'note').last()).toHaveText('^C');
  await expect(page.getByTestId('console-running')).toHaveCount(0);

  await run(page, 'rollout status deployment/web');
  // Settled already: it says so and gives the prompt back at once, or follows the rollout until then.
  await page.getByTestId('play-pause').click();
  await expect(lines(page, 'stdout').last()).toHaveText('deployment "web" successfully rolled out', { timeout: 30_000 });
  await page.getByTestId('play-pause').click();
  await run(page, 'get nodes -w');
  await page.getByTestId('console-stop').click();
  await expect(lines(page, 'note').last()).toHaveText('^C');
});

test('apply -f - opens the YAML editor; what its Apply does is printed in the console and logged', async ({ page }) => {
  await page.getByTestId('console-toggle').click();
  await run(page, 'apply -f -');
  await expect(page.getByTestId('editor-panel')).toBeVisible();
  await expect(page.getByTestId('editor-title')).toHaveText('New objects');
  const content = page.getByTestId('yaml-editor-content');
  await content.click();
  await page.keyboard.insertText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n  - name: hello\n    image: nginx:1.27\n');
  await expect(page.getByTestId('editor-status')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-outcome')).toHaveText('pod/hello created');
  await page.getByTestId('editor-cancel').click();
  await expect(page.getByTestId('editor-panel')).toHaveCount(0);
  await expect(lines(page, 'stdout').last()).toHaveText('pod/hello created');
  await expect(actions(page).first()).toContainText('apply Pod/hello');
  await run(page, 'get pod hello --no-headers');
  expect((await answer(page))[0]).toMatch(/^hello +0\/1 +Pending/);
});

for (const theme of ['dark', 'light'] as const) {
  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ] as const) {
    test(`screenshot: the console, ${theme}, ${w}x${h}`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('kubeviz.theme', t), theme);
      await page.setViewportSize({ width: w, height: h });
      await page.goto('/?t=30s');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.getByTestId('console-toggle').click();
      await run(page, 'get pods -o wide');
      await run(page, 'get pdos');
      await input(page).fill('cordon node-');
      await input(page).press('Tab');
      await expect(page.getByTestId('console-candidates')).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/console-${theme}-${w}x${h}.png` });
    });
  }
}
