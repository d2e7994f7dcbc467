// The scheduling explainer on the scheduling example (three nodes: node-a
// half full, node-b empty, node-c tainted dedicated=gpu:NoSchedule; pods
// `web` 1 cpu / 1Gi and `huge` 16 cpu), opened paused at 0 (?paused). Shift+→
// walks kube-scheduler one extension point at a time; the Filter and Score
// tables are checked against upstream's formulas, computed by hand below.
// Every wait is on what the page shows.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = process.env.KUBEVIZ_SHOTS ?? '/tmp/kv/shots-time';

const inspector = (page: Page) => page.getByTestId('inspector');
const current = (page: Page) => page.locator('[data-testid="explainer-step"][data-state="current"]');
const card = (page: Page, node: string) => page.locator(`[data-testid="worker-card"][data-node="${node}"]`);
const filterCell = (page: Page, node: string, plugin: string) => page.locator(`[data-testid="filter-cell"][data-node="${node}"][data-plugin="${plugin}"]`);
const scoreCell = (page: Page, node: string, plugin: string) => page.locator(`[data-testid="score-cell"][data-node="${node}"][data-plugin="${plugin}"]`);

/** One Shift+→: kube-scheduler's next extension point, shown for `pod`. */
async function nextPoint(page: Page, pod: string, point: string) {
  await page.keyboard.press('Shift+ArrowRight');
  await expect(inspector(page)).toHaveAttribute('data-id', `Pod/default/${pod}`);
  await expect(current(page)).toHaveAttribute('data-point', point);
}

test('walk one pod through every extension point: the Filter and Score tables as upstream computes them', async ({ page }) => {
  await page.goto('/?scenario=scheduling&paused');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '0');

  // First in the queue: huge (PrioritySort: equal priority, queued first). It fits nowhere.
  await nextPoint(page, 'huge', 'preFilter');
  await expect(page.getByTestId('scheduling-explainer')).toHaveAttribute('data-status', 'scheduling');
  await expect(page.getByTestId('explainer-headline')).toHaveText('kube-scheduler is scheduling default/huge: PreFilter.');
  await nextPoint(page, 'huge', 'filter');
  await expect(filterCell(page, 'node-a', 'NodeResourcesFit')).toHaveText('Insufficient cpu');
  await expect(filterCell(page, 'node-c', 'TaintToleration')).toHaveText('node(s) had untolerated taint {dedicated: gpu}');
  // Filter stops at a node's first rejection: NodeResourcesFit never ran on node-c.
  await expect(filterCell(page, 'node-c', 'NodeResourcesFit')).toHaveAttribute('data-verdict', 'not-run');
  await nextPoint(page, 'huge', 'postFilter');
  await expect(page.locator('[data-testid="explainer-step"][data-point="postFilter"]')).toContainText('preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  await expect(page.getByTestId('explainer-message')).toHaveText(
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  // On the canvas: every node dropped, each with its reason.
  await expect(card(page, 'node-a')).toHaveClass(/sched-infeasible/);
  await expect(card(page, 'node-a').getByTestId('sched-reason')).toHaveText('Insufficient cpu');
  await expect(card(page, 'node-c').getByTestId('sched-reason')).toHaveText('node(s) had untolerated taint {dedicated: gpu}');

  // Then web, step by step.
  await nextPoint(page, 'web', 'preFilter');
  await nextPoint(page, 'web', 'filter');
  await expect(page.locator('[data-testid="filter-node"]')).toHaveText(['node-a', 'node-b', 'node-c']);
  await expect(page.locator('[data-testid="filter-result"]')).toHaveText(['feasible', 'feasible', 'filtered out']);
  await expect(filterCell(page, 'node-b', 'NodeResourcesFit')).toHaveText('✓ passed');
  await expect(filterCell(page, 'node-c', 'TaintToleration')).toHaveText('node(s) had untolerated taint {dedicated: gpu}');
  await expect(page.getByTestId('explainer-sample')).toContainText('Examined 3 of 3 nodes, 2 feasible (every node: fewer than 100 nodes (3))');
  // Feasible nodes glow; node-c shows why it is out.
  await expect(card(page, 'node-a')).toHaveClass(/sched-feasible/);
  await expect(card(page, 'node-b')).toHaveClass(/sched-feasible/);
  await expect(card(page, 'node-c')).toHaveClass(/sched-infeasible/);
  await expect(page.getByTestId('score-table')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/explainer-filter.png` });

  await nextPoint(page, 'web', 'preScore');
  await nextPoint(page, 'web', 'score');
  // Raw scores only, before NormalizeScore. LeastAllocated (NodeResourcesFit, cpu and memory weight 1):
  //   node-a: requested 2 + 1 = 3 cpu of 4, 4Gi + 1Gi = 5Gi of 8Gi: cpu (4000-3000)*100/4000 = 25,
  //           memory (8-5)*100/8 = 37.5 -> 37; (25 + 37) / 2 = 31.
  //   node-b: cpu (4000-1000)*100/4000 = 75, memory (8-1)*100/8 = 87.5 -> 87; (75 + 87) / 2 = 81.
  await expect(page.getByTestId('score-table')).toHaveAttribute('data-final', 'false');
  await expect(scoreCell(page, 'node-a', 'NodeResourcesFit')).toHaveAttribute('data-raw', '31');
  await expect(scoreCell(page, 'node-b', 'NodeResourcesFit')).toHaveAttribute('data-raw', '81');
  // BalancedAllocation (1 - std) * 100, std of two fractions = |a - b| / 2:
  //   node-a 3/4 and 5/8: |0.75 - 0.625| / 2 = 0.0625 -> 93.75 -> 93; node-b 1/4 and 1/8: the same 0.0625 -> 93.
  await expect(scoreCell(page, 'node-a', 'NodeResourcesBalancedAllocation')).toHaveAttribute('data-raw', '93');
  await expect(scoreCell(page, 'node-b', 'NodeResourcesBalancedAllocation')).toHaveAttribute('data-raw', '93');
  // TaintToleration counts intolerable PreferNoSchedule taints: none on either node, raw 0.
  await expect(scoreCell(page, 'node-a', 'TaintToleration')).toHaveAttribute('data-raw', '0');
  // ImageLocality: nginx:1.27 is on no node yet (nothing has pulled at 1 ms): 0.
  await expect(scoreCell(page, 'node-b', 'ImageLocality')).toHaveAttribute('data-raw', '0');

  await nextPoint(page, 'web', 'normalizeScore');
  await expect(page.getByTestId('score-table')).toHaveAttribute('data-final', 'true');
  // TaintToleration is normalized reversed (DefaultNormalizeScore with reverse): max raw 0, so every node gets 100; weight 3 -> 300.
  const tt = scoreCell(page, 'node-a', 'TaintToleration');
  await expect(tt).toHaveAttribute('data-normalized', '100');
  await expect(tt).toHaveAttribute('data-weight', '3');
  await expect(tt).toHaveAttribute('data-weighted', '300');
  await expect(tt).toHaveText('0 → 100 ×3 = 300');
  // NodeResourcesFit and BalancedAllocation have no NormalizeScore and weight 1: weighted = raw.
  await expect(scoreCell(page, 'node-b', 'NodeResourcesFit')).toHaveAttribute('data-weighted', '81');
  // Totals: node-b 300 + 81 + 93 + 0 = 474, node-a 300 + 31 + 93 + 0 = 424; the emptier node wins.
  const totals = page.getByTestId('score-total');
  await expect(totals).toHaveCount(2);
  await expect(page.locator('[data-testid="score-total"][data-node="node-b"]')).toHaveAttribute('data-total', '474');
  await expect(page.locator('[data-testid="score-total"][data-node="node-a"]')).toHaveAttribute('data-total', '424');
  await expect(page.locator('[data-testid="score-total"][data-winner="true"]')).toHaveAttribute('data-node', 'node-b');
  await expect(page.getByTestId('explainer-winner')).toHaveText('Highest total: node-b, 474.');
  // PreScore said Skip for the plugins with nothing to score.
  await expect(page.getByTestId('scheduling-explainer')).toContainText('PreScore said Skip (nothing to score) for NodeAffinity, VolumeBinding, PodTopologySpread, InterPodAffinity.');
  await expect(card(page, 'node-b')).toHaveClass(/sched-chosen/);
  await expect(card(page, 'node-b').getByTestId('sched-chosen')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/explainer-score.png` });

  await nextPoint(page, 'web', 'reserve');
  await nextPoint(page, 'web', 'permit');
  await nextPoint(page, 'web', 'preBind');
  await expect(page.getByTestId('explainer-bind')).toHaveAttribute('data-state', 'upcoming');
  await nextPoint(page, 'web', 'bind');
  // The pods/binding request is on its way to kube-apiserver, its token highlighted on the canvas.
  await expect(page.getByTestId('explainer-bind')).toHaveAttribute('data-state', 'sent');
  await expect(page.locator('html')).toHaveAttribute('data-explain-bind', 'default/web');
  await expect(page.locator('[data-testid="message-token"][data-resource="pods/binding"]')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/explainer-bind.png` });
  await nextPoint(page, 'web', 'postBind');
  // All eleven points, in order, each at the same instant.
  await expect(page.getByTestId('explainer-step')).toHaveCount(11);
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '1');
});

test('a pending pod answers "why is it pending?", and every cycle of a pod can be opened again', async ({ page }) => {
  await page.goto('/?scenario=scheduling&t=15s');
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', '15000');
  await page.locator('[data-testid="object-row"][data-kind="Pod"][data-name="huge"]').click();
  await inspector(page).getByTestId('inspector-tab-scheduling').click();
  const why = page.getByTestId('pending-why');
  await expect(page.getByTestId('scheduling-explainer')).toHaveAttribute('data-status', 'pending');
  await expect(why.getByTestId('pending-summary')).toHaveText(
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  await expect(why.getByTestId('pending-node')).toHaveText(['node-aNodeResourcesFitInsufficient cpu', 'node-bNodeResourcesFitInsufficient cpu', 'node-cTaintTolerationnode(s) had untolerated taint {dedicated: gpu}']);
  // It waits among the unschedulable pods for a change that may help.
  await expect(page.locator('[data-testid="queue-row"][data-pod="default/huge"]')).toHaveAttribute('data-queue', 'unschedulable');
  // Its first cycle at 1 ms and the retry the kubelets' node status updates (every 10 s) caused: both can be opened.
  const cycles = page.getByTestId('explainer-cycle');
  await expect(cycles).toHaveCount(2);
  await cycles.last().click();
  await expect(cycles.last()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('scheduling-explainer')).toContainText('An earlier cycle');
  await expect(filterCell(page, 'node-b', 'NodeResourcesFit')).toHaveText('Insufficient cpu');
  // The Events record every attempt too.
  await expect(page.locator('[data-testid="explainer-attempt"][data-reason="FailedScheduling"]')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/explainer-pending.png` });

  // The bound pod, opened from its node card, keeps the Scheduling tab: bound to node-b, the whole cycle there.
  await page.locator('[data-testid="pod-token"][data-pod="default/web"]').click();
  await expect(inspector(page)).toHaveAttribute('data-id', 'Pod/default/web');
  await expect(page.getByTestId('explainer-headline')).toHaveText('Bound to node-b on attempt 1.');
  await expect(page.locator('[data-testid="score-total"][data-winner="true"]')).toHaveAttribute('data-node', 'node-b');
});
