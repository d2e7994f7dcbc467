// The inspector and the events panel on the default cluster, paused at a
// fixed instant (?t=), so everything shown is fixed: click a pod on its node
// card and read its YAML, conditions and owner; click a control-plane box
// and read its state and messages; Escape closes; the Events tab lists what
// the components reported, as `kubectl events` would.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = process.env.KUBEVIZ_SHOTS ?? 'test-results';

const canvas = (page: Page) => page.getByTestId('architecture-canvas');
const inspector = (page: Page) => page.getByTestId('inspector');

async function open(page: Page, t = '30s') {
  await page.goto(`/?t=${t}`);
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', String(t === '30s' ? 30_000 : Number.parseInt(t, 10)));
}

test('a pod on its node card: YAML, conditions, owner ReplicaSet', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  await expect(page.getByTestId('wire-panel')).toBeVisible();

  const token = canvas(page).locator('[data-testid="pod-token"][data-pod^="default/web-"]').first();
  const podKey = (await token.getAttribute('data-pod'))!;
  const podName = podKey.split('/')[1];
  await token.click();

  const insp = inspector(page);
  await expect(insp).toHaveAttribute('data-id', `Pod/${podKey}`);
  await expect(insp.getByTestId('inspector-name')).toHaveText(podName);
  // The inspector took the wire list's place, and the token is ringed.
  await expect(page.getByTestId('wire-panel')).toHaveCount(0);
  await expect(token).toHaveAttribute('data-selected', 'true');

  // Summary: the conditions kubectl describe shows for a running pod.
  await expect(insp.locator('[data-testid="condition"][data-type="PodScheduled"]')).toHaveAttribute('data-status', 'True');
  await expect(insp.locator('[data-testid="condition"][data-type="Ready"]')).toHaveAttribute('data-status', 'True');
  await expect(insp.getByTestId('inspector-status')).toHaveText('Running');
  await page.screenshot({ path: `${SHOTS}/inspector-pod-summary-1440x900.png` });

  // YAML, as kubectl get -o yaml prints it.
  await insp.getByTestId('inspector-tab-yaml').click();
  const yaml = insp.getByTestId('inspector-yaml');
  await expect(yaml).toContainText('kind: Pod');
  await expect(yaml).toContainText(/nodeName: node-\d/);
  await expect(yaml).toContainText(`name: ${podName}`);
  await page.screenshot({ path: `${SHOTS}/inspector-pod-yaml-1440x900.png` });

  // Its events, as in kubectl describe: scheduled first, then the kubelet's.
  await insp.getByTestId('inspector-tab-events').click();
  const events = insp.getByTestId('inspector-event');
  await expect(events).toHaveCount(5);
  await expect(events.first()).toHaveAttribute('data-reason', 'Scheduled');
  await expect(events.first()).toContainText(`Successfully assigned ${podKey} to node-`);
  await expect(events.last()).toHaveAttribute('data-reason', 'Started');

  // Its owner: the ReplicaSet; one click selects it, and it owns this pod.
  await insp.getByTestId('inspector-tab-summary').click();
  const owner = insp.getByTestId('inspector-owner');
  await expect(owner).toHaveCount(1);
  await expect(owner).toContainText(/ReplicaSet\/web-[a-z0-9]+/);
  await expect(owner).toContainText('controller');
  await owner.getByRole('button').click();
  await expect(insp).toHaveAttribute('data-id', /^ReplicaSet\/default\/web-[a-z0-9]+$/);
  await expect(insp.locator(`[data-testid="inspector-owned"][data-key="Pod/${podKey}"]`)).toHaveCount(1);
  await expect(insp.getByTestId('inspector-owned')).toHaveCount(3);
  await expect(insp.getByTestId('inspector-owner')).toContainText('Deployment/web');
  // The ReplicaSet's row in the objects table is ringed with it.
  await expect(page.locator('[data-testid="object-row"][data-kind="ReplicaSet"]')).toHaveClass(/is-selected/);
  await expect(token).toHaveAttribute('data-selected', 'false');

  // Edit hands the YAML to the editor (the store's openEditor); the inspector stays.
  await insp.getByTestId('inspector-edit').click();
  await expect(insp).toBeVisible();
});

test('control-plane components: the scheduler’s state and messages, an etcd member’s role and term; Escape closes', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  const insp = inspector(page);

  await canvas(page).getByTestId('canvas-component-kube-scheduler').click();
  await expect(insp).toHaveAttribute('data-id', 'kube-scheduler');
  // Everything is placed by 30 s: the scheduler waits, between cycles.
  await expect(insp.getByTestId('inspector-state')).toHaveText('idle');
  await expect(insp.getByTestId('inspector-facts')).toContainText('0 pods');
  await expect(insp.getByTestId('inspector-facts')).toContainText(/default\/\S+ → node-\d/);
  await expect(insp.getByTestId('inspector-settings')).toContainText('TaintToleration (3)');
  // Its recent messages: watch events from kube-apiserver (at most 30).
  const messages = insp.getByTestId('inspector-message');
  await expect(messages.first()).toContainText('kube-apiserver');
  expect(await messages.count()).toBeGreaterThan(0);
  expect(await messages.count()).toBeLessThanOrEqual(30);
  await expect(canvas(page).getByTestId('canvas-component-kube-scheduler')).toHaveAttribute('data-selected', 'true');
  await page.screenshot({ path: `${SHOTS}/inspector-scheduler-1440x900.png` });

  // etcd-1: the same role and term its box shows, and who leads.
  const box = canvas(page).getByTestId('canvas-component-etcd-1');
  const role = (await box.getAttribute('data-role'))!;
  const term = (await box.getAttribute('data-term'))!;
  const leader = (await canvas(page).locator('[data-testid^="canvas-component-etcd-"][data-role="leader"]').getAttribute('data-testid'))!.replace('canvas-component-', '');
  await box.click();
  await expect(insp).toHaveAttribute('data-id', 'etcd-1');
  await expect(insp.getByTestId('inspector-state')).toHaveText(role);
  const facts = insp.getByTestId('inspector-facts');
  await expect(facts.locator('.fact[data-label="Term"] dd')).toHaveText(term);
  await expect(facts.locator('.fact[data-label="Leader"] dd')).toHaveText(leader);
  // floor(3/2)+1 = 2 of the 3 members make a quorum.
  await expect(facts).toContainText('3 of 3 members up, 2 needed');
  await expect(insp.getByTestId('inspector-settings')).toContainText('--heartbeat-interval');
  await expect(insp.getByTestId('inspector-message').first()).toContainText(/raft/);

  await page.keyboard.press('Escape');
  await expect(insp).toHaveCount(0);
  await expect(page.getByTestId('wire-panel')).toBeVisible();
  await expect(box).toHaveAttribute('data-selected', 'false');
});

test('a node card’s name selects the Node, its kubelet chip the kubelet; keyboard reaches them', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  const insp = inspector(page);
  const card = canvas(page).locator('[data-testid="worker-card"][data-node="node-2"]');

  await card.getByTestId('worker-name').click();
  await expect(insp).toHaveAttribute('data-id', 'Node//node-2');
  await expect(insp.locator('[data-testid="condition"][data-type="Ready"]')).toHaveAttribute('data-status', 'True');
  await expect(card).toHaveClass(/is-selected/);

  await card.getByTestId('worker-kubelet').click();
  await expect(insp).toHaveAttribute('data-id', 'kubelet/node-2');
  await expect(insp.getByTestId('inspector-state')).toHaveText('running');
  await expect(insp.getByTestId('inspector-facts')).toContainText('Ready (KubeletReady)');
  await expect(insp.getByTestId('inspector-message').first()).toContainText(/kube-apiserver/);

  // Keyboard: a pod token is focusable and Enter opens it; Space does not start playing.
  const token = card.getByTestId('pod-token').first();
  await token.focus();
  await page.keyboard.press('Enter');
  await expect(insp).toHaveAttribute('data-id', `Pod/${await token.getAttribute('data-pod')}`);
  await card.getByTestId('worker-name').focus();
  await page.keyboard.press(' ');
  await expect(insp).toHaveAttribute('data-id', 'Node//node-2');
  await expect(page.getByTestId('play-pause')).toHaveAttribute('data-playing', 'false');

  // The close button gives the column back to the wire list.
  await insp.getByTestId('inspector-close').click();
  await expect(insp).toHaveCount(0);

  // Rows of the objects table and of the control-plane list select too.
  await page.locator('[data-testid="object-row"][data-kind="Deployment"]').click();
  await expect(insp).toHaveAttribute('data-id', 'Deployment/default/web');
  await page.getByTestId('component-kube-controller-manager').click();
  await expect(insp).toHaveAttribute('data-id', 'kube-controller-manager');
  await expect(insp.getByTestId('inspector-list')).toContainText('node-lifecycle-controller');
  await expect(insp.getByTestId('inspector-settings')).toContainText('--node-monitor-grace-period');
});

test('the Events tab lists what the components reported, newest first; an event opens its object', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  await page.getByTestId('center-tab-events').click();
  const rows = page.getByTestId('event-row');
  // Four pods were scheduled: the 3 web replicas and debug.
  const scheduled = page.locator('[data-testid="event-row"][data-reason="Scheduled"]');
  await expect(scheduled).toHaveCount(4);
  await expect(scheduled.first()).toContainText('Successfully assigned default/');
  await expect(scheduled.first()).toContainText('Normal');
  // Newest first: the kubelets' Started (at 4 s) above the Deployment's ScalingReplicaSet (at 0 s).
  const reasons = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')));
  expect(reasons.indexOf('Started')).toBeLessThan(reasons.indexOf('ScalingReplicaSet'));
  await expect(page.locator('[data-testid="event-row"][data-reason="ScalingReplicaSet"]')).toContainText('Deployment/web');
  await page.screenshot({ path: `${SHOTS}/events-1440x900.png` });

  await page.locator('[data-testid="event-row"][data-reason="ScalingReplicaSet"]').getByRole('button').click();
  await expect(inspector(page)).toHaveAttribute('data-id', 'Deployment/default/web');
});

test('a crash-looping container: Warning rows marked, repeats counted as kubectl does', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // The default cluster reports no warnings.
  await open(page);
  await page.getByTestId('center-tab-events').click();
  await expect(page.getByTestId('event-row').first()).toBeVisible();
  await expect(page.locator('[data-testid="event-row"][data-type="Warning"]')).toHaveCount(0);

  // crash-loop: the container exits after 5 s and the kubelet restarts it with growing back-off.
  await page.goto('/?scenario=crash-loop&t=2m');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '120000');
  await page.getByTestId('center-tab-events').click();
  const backOff = page.locator('[data-testid="event-row"][data-reason="BackOff"]');
  await expect(backOff).toHaveCount(1);
  await expect(backOff).toHaveAttribute('data-type', 'Warning');
  await expect(backOff).toHaveClass(/event-warning/);
  await expect(backOff).toContainText('Back-off restarting failed container app in pod crasher_default');
  // Started 5 times, first at 0 s, last at 90 s; read at 120 s: 30 s ago, first 120 s ago = "2m" exactly.
  await expect(page.locator('[data-testid="event-row"][data-reason="Started"] .event-seen')).toHaveText('30s (x5 over 2m)');
  await page.screenshot({ path: `${SHOTS}/events-crash-loop-1440x900.png` });

  // The same events in the pod's inspector, oldest first, as kubectl describe pod lists them.
  await backOff.getByRole('button').click();
  await inspector(page).getByTestId('inspector-tab-events').click();
  const mine = inspector(page).getByTestId('inspector-event');
  await expect(mine.first()).toHaveAttribute('data-reason', 'Scheduled');
  await expect(mine.last()).toHaveAttribute('data-reason', 'BackOff');
});

test('pods pending counts the pods not yet bound to a node', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // At 2 ms the ReplicaSet has created the 3 web pods and kube-scheduler has not bound them yet (debug is bound).
  await open(page, '2ms');
  const pending = page.getByTestId('stat-pending');
  await expect(pending.locator('dd')).toHaveText('3');
  await expect(pending.locator('dd')).toHaveClass(/status-warn/);
  await page.goto('/?t=30s');
  await expect(page.getByTestId('stat-pending').locator('dd')).toHaveText('0');
});

for (const theme of ['light', 'dark'] as const) {
  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ] as const) {
    test(`the inspector reads well at ${w}x${h}, ${theme}`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.addInitScript((t) => localStorage.setItem('kubeviz.theme', t), theme);
      await open(page);
      await canvas(page).locator('[data-testid="pod-token"][data-pod^="default/web-"]').first().click();
      await expect(inspector(page)).toBeVisible();
      // Nothing spills out of the window: the inspector fits the right column.
      const box = (await inspector(page).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(w);
      expect(box.y + box.height).toBeLessThanOrEqual(h);
      await page.screenshot({ path: `${SHOTS}/inspector-pod-${w}x${h}-${theme}.png` });
      await canvas(page).getByTestId('canvas-component-kube-scheduler').click();
      await expect(inspector(page)).toHaveAttribute('data-id', 'kube-scheduler');
      await page.screenshot({ path: `${SHOTS}/inspector-scheduler-${w}x${h}-${theme}.png` });
      await page.getByTestId('center-tab-events').click();
      await expect(page.getByTestId('event-row').first()).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/events-${w}x${h}-${theme}.png` });
    });
  }
}
