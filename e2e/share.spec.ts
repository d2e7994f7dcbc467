// Sessions leave the tab and come back: a share link opened in a fresh
// browser replays to the same instant (same pods on the same nodes, same
// events); a reload restores the autosaved session; a link never replaces
// unsaved work without asking; a saved file opens to the same state; damaged
// or hostile links and files give a message and a working app. Every wait is
// on what the page shows (paused instants, Step), never on wall time.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';

const SHOTS = '/tmp/kv/shots-share';

const clock = (page: Page) => page.getByTestId('sim-clock');
const actions = (page: Page) => page.getByTestId('action-entry');
const editorContent = (page: Page) => page.getByTestId('yaml-editor-content');

/** What a person compares between two screens: the clock, the tab counts, the table's rows, every pod token on its node with its phase. */
async function snapshot(page: Page) {
  return {
    clock: await clock(page).getAttribute('data-ms'),
    tabs: (await page.getByRole('tab').allTextContents()).join(' | '),
    rows: await page
      .locator('[data-testid="object-row"]')
      .evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.kind}/${(r as HTMLElement).dataset.namespace ?? ''}/${(r as HTMLElement).dataset.name} ${r.querySelector('[data-testid="object-status"]')?.textContent}`)),
    pods: await page.locator('[data-testid="worker-card"]').evaluateAll((cards) =>
      cards
        .flatMap((c) => [...c.querySelectorAll('[data-testid="pod-token"]')].map((t) => `${(c as HTMLElement).dataset.node} ${(t as HTMLElement).dataset.pod} ${(t as HTMLElement).dataset.phase}`))
        .sort(),
    ),
    actions: await actions(page).count(),
  };
}

/** A user action through the UI: Apply YAML with a new Deployment "api" of 4 replicas. */
async function applyApiDeployment(page: Page) {
  await page.getByTestId('apply-yaml').click();
  await expect(editorContent(page)).toBeVisible();
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: default
spec:
  replicas: 4
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: nginx:1.27
        resources:
          requests: {cpu: 500m, memory: 256Mi}
`;
  await editorContent(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect.poll(() => editorContent(page).evaluate((el) => (el as HTMLElement).innerText.replace(/\u200b/g, '').trimEnd())).toBe(text.trimEnd());
  await page.getByTestId('editor-apply').click();
  await expect(actions(page)).toHaveCount(1);
  await page.getByTestId('editor-cancel').click();
  await expect(page.getByTestId('editor-panel')).toHaveCount(0);
}

/** Resolves after the page has painted `n` more frames: React had its chance to render. */
const frames = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );

/** Steps `n` times (each runs to the next instant at which something happens), then lets the page render. */
async function step(page: Page, n: number) {
  for (let i = 0; i < n; i++) await page.getByTestId('step-button').click();
  await frames(page, 3);
}

/** Steps until `done` holds (at most 400 steps). */
async function stepUntil(page: Page, done: () => Promise<boolean>) {
  for (let i = 0; i < 400 && !(await done()); i++) await page.getByTestId('step-button').click();
  await frames(page, 3);
  expect(await done()).toBe(true);
}

/** Shares and returns the link the popover shows. */
async function share(page: Page): Promise<string> {
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-popover')).toBeVisible();
  const url = await page.getByTestId('share-url').inputValue();
  await page.keyboard.press('Escape');
  return url;
}

/** The autosave has the instant on screen (it saves within a second; the wait is on the stored value). */
async function autosaved(page: Page) {
  const ms = Number(await clock(page).getAttribute('data-ms'));
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('kubeviz.session.v1') ?? '{"at":-1}').at as number)).toBe(ms);
}

async function freshPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    throw new Error(`unexpected browser dialog: ${d.message()}`);
  });
  return page;
}

test('a shared link opens in a fresh browser at the same instant: same pods on the same nodes, same events', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?t=30s');
  await expect(clock(page)).toHaveText('00:30.000');
  await applyApiDeployment(page);
  // Until kube-scheduler has placed the four api pods and the kubelets run them.
  await stepUntil(page, async () => (await page.locator('[data-testid="worker-card"] [data-testid="pod-token"][data-pod^="default/api-"][data-phase="Running"]').count()) === 4);
  const mine = await snapshot(page);
  expect(mine.pods.filter((p) => p.includes(' default/api-'))).toHaveLength(4);

  await page.getByTestId('share-button').click();
  const status = page.getByTestId('share-status');
  await expect(status).toContainText('Link copied');
  await expect(status).toHaveAttribute('data-fit', 'ok');
  const url = await page.getByTestId('share-url').inputValue();
  await expect(status).toContainText(`${url.length.toLocaleString('en-US')} characters`);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+$/);
  // The budget: the default scenario with its actions fits in 2,000 characters.
  expect(url.length).toBeLessThan(2_000);
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await page.screenshot({ path: `${SHOTS}/share-popover.png` });

  const colleague = await freshPage(browser);
  await colleague.goto(url);
  await expect(clock(colleague)).toHaveAttribute('data-ms', mine.clock!);
  await expect(colleague.getByTestId('play-pause')).toHaveAccessibleName('Play');
  await expect.poll(() => snapshot(colleague)).toEqual(mine);
  await colleague.screenshot({ path: `${SHOTS}/share-opened.png` });
  await colleague.context().close();
});

test('a reload restores the session: same instant, same objects, same actions', async ({ page }) => {
  await page.goto('/?t=30s');
  await applyApiDeployment(page);
  await step(page, 5);
  await autosaved(page);
  const before = await snapshot(page);
  await page.reload();
  await expect(clock(page)).toHaveAttribute('data-ms', before.clock!);
  await expect(page.getByTestId('play-pause')).toHaveAccessibleName('Play');
  await expect.poll(() => snapshot(page)).toEqual(before);
});

test('a link never replaces unsaved work without asking: Cancel keeps it, Replace opens the link', async ({ page, browser }) => {
  const other = await freshPage(browser);
  await other.goto('/?scenario=crash-loop&t=10s');
  await expect(clock(other)).toHaveText('00:10.000');
  const link = await share(other);
  await other.context().close();

  await page.goto('/?t=30s');
  await applyApiDeployment(page);
  await autosaved(page);
  await page.goto(link);
  const dialog = page.getByTestId('replace-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('replace-title')).toHaveText('Open the shared scenario?');
  await expect(dialog).toContainText('Your current session will be replaced: “default” with your action, at 00:30.000');
  await page.screenshot({ path: `${SHOTS}/replace-dialog.png` });
  await page.getByTestId('replace-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('scenario-name')).toHaveText('default');
  await expect(actions(page)).toHaveCount(1);
  expect(page.url()).not.toContain('#s=');

  await page.goto(link);
  await page.getByTestId('replace-confirm').click();
  await expect(page.getByTestId('scenario-name')).toHaveText('crash-loop');
  await expect(clock(page)).toHaveText('00:10.000');
  await expect(actions(page)).toHaveCount(0);
});

test('a gallery link typed into the address bar of an open tab asks too, and "Save it first" downloads the session', async ({ page }) => {
  await page.goto('/?t=30s');
  await applyApiDeployment(page);
  await page.goto('/?t=30s#scenario=node-failure'); // the fragment only: no reload, a hashchange
  await expect(page.getByTestId('replace-title')).toHaveText('Open “node-failure”?');
  const download = page.waitForEvent('download');
  await page.getByTestId('replace-save').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('default-session.yaml');
  const text = readFileSync((await file.path())!, 'utf8');
  expect(text).toContain('kind: Session');
  expect(text).toContain('name: api');
  await expect(page.getByTestId('scenario-name')).toHaveText('node-failure');
});

test('Save session and Open file: the file opens to the same state in a fresh browser; Export current state is a scenario of it', async ({ page, browser }) => {
  await page.goto('/?t=30s');
  await applyApiDeployment(page);
  await step(page, 6);
  const before = await snapshot(page);
  await page.getByTestId('scenarios-button').click();
  await expect(page.getByTestId('scenarios-menu')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/scenarios-menu.png` });
  const saving = page.waitForEvent('download');
  await page.getByTestId('menu-save-session').click();
  const saved = await (await saving).path();

  const other = await freshPage(browser);
  await other.goto('/?paused');
  await other.getByTestId('open-file-input').setInputFiles(saved!);
  await expect(clock(other)).toHaveAttribute('data-ms', before.clock!);
  await expect.poll(() => snapshot(other)).toEqual(before);

  await page.getByTestId('scenarios-button').click();
  const exporting = page.waitForEvent('download');
  await page.getByTestId('menu-export-state').click();
  const exported = await exporting;
  expect(exported.suggestedFilename()).toBe(`default-at-${(await clock(page).textContent())!.replace(/[:.]/g, '-')}.yaml`);
  await other.getByTestId('open-file-input').setInputFiles((await exported.path())!);
  await expect(other.getByTestId('scenario-name')).toHaveText(/^default-at-00-3\d-\d{3}$/);
  await expect(clock(other)).toHaveText('00:00.000');
  // The api pods start where they were, on the same nodes.
  const placed = (s: Awaited<ReturnType<typeof snapshot>>) => s.pods.filter((p) => p.includes(' default/api-')).map((p) => p.split(' ').slice(0, 2).join(' '));
  await expect.poll(async () => placed(await snapshot(other))).toEqual(placed(before));
  await other.context().close();
});

test('a corrupted or cut link says so and opens the default cluster', async ({ browser }) => {
  const page = await freshPage(browser);
  const good = await (async () => {
    await page.goto('/?scenario=node-failure&t=5s');
    return share(page);
  })();
  await page.context().close();

  const cut = await freshPage(browser);
  await cut.goto(good.slice(0, -40));
  await expect(cut.getByTestId('notice').first()).toContainText('This link is damaged or cut short');
  await expect(cut.getByTestId('notice').first()).toContainText('The default scenario is open instead.');
  await expect(cut.getByTestId('scenario-name')).toHaveText('default');
  await expect(cut.getByTestId('worker-card')).toHaveCount(3);
  await cut.screenshot({ path: `${SHOTS}/damaged-link.png` });
  await cut.context().close();

  const hostile = await freshPage(browser);
  await hostile.goto('/#s=<img src=x onerror=alert(1)><script>alert(2)</script>');
  await expect(hostile.getByTestId('notice').first()).toContainText('characters a share link never contains');
  await expect(hostile.getByTestId('worker-card')).toHaveCount(3);
  expect(await hostile.locator('img[src="x"]').count()).toBe(0);
  await hostile.context().close();
});

test('a hostile file (script in names, __proto__ keys, gzip) is a message; the session stays and nothing runs', async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto('/?t=30s');
  const scripts = await page.locator('script').count();
  const hostile = `apiVersion: v1
kind: Pod
metadata:
  name: "<script>alert(1)</script>"
  __proto__: {polluted: true}
spec:
  containers: [{name: c, image: nginx}]
`;
  await page.getByTestId('open-file-input').setInputFiles({ name: '<b>evil</b>.yaml', mimeType: 'application/yaml', buffer: Buffer.from(hostile) });
  const notice = page.getByTestId('notice').last();
  await expect(notice).toContainText('“<b>evil</b>.yaml” is not a scenario kubeviz can open; the current session is unchanged.');
  await expect(notice).toContainText('<script>alert(1)</script>');
  await expect(page.locator('b', { hasText: 'evil' })).toHaveCount(0);
  expect(await page.locator('script').count()).toBe(scripts);
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');

  await page.getByTestId('open-file-input').setInputFiles({ name: 'scenario.yaml.gz', mimeType: 'application/gzip', buffer: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00]) });
  await expect(page.getByTestId('notice').last()).toContainText('“scenario.yaml.gz” is not a text file');
  await expect(clock(page)).toHaveText('00:30.000');
  await expect(page.getByTestId('scenario-name')).toHaveText('default');
  await page.context().close();
});
