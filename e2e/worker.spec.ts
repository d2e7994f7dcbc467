// The simulation in a Web Worker (issue 9 part 1): the page opens with the
// cluster running off the main thread, and the cluster it shows is the very
// state Node computes for the same scenario and instant (same state hash),
// and the same as with the simulation on the main thread (?worker=0).
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SCENARIO_YAML } from '../src/scenario/gallery/default-scenario';
import { History } from '../src/scenario/history';

type Hook = { inWorker: boolean; stateHash: () => Promise<string> };
const hook = (page: Page) => page.evaluate(async () => {
  const k = (window as unknown as { kubeviz: Hook }).kubeviz;
  return { inWorker: k.inWorker, hash: await k.stateHash() };
});

function nodeHash(at: number): string {
  const h = new History(DEFAULT_SCENARIO_YAML, { traceCapacity: 5_000 });
  h.runUntil(at);
  return h.cluster.stateHash();
}

test('the worker, the main thread and Node reach the same state', async ({ page }) => {
  const expected = nodeHash(45_000);
  await page.goto('/?t=45s');
  await expect(page.getByTestId('sim-clock')).toHaveText(/00:45\.000/);
  await expect(page.getByTestId('objects-table').getByText('node-1', { exact: true })).toBeVisible();
  // Built: the panels are no longer dimmed, the header no longer says it is building.
  await expect(page.locator('main.workspace')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('scenario-opening')).toHaveCount(0);
  const inWorker = await hook(page);
  expect(inWorker).toEqual({ inWorker: true, hash: expected });

  await page.goto('/?t=45s&worker=0');
  await expect(page.getByTestId('sim-clock')).toHaveText(/00:45\.000/);
  expect(await hook(page)).toEqual({ inWorker: false, hash: expected });
});

test('stepping and rewinding in the worker land where Node does', async ({ page }) => {
  await page.goto('/?t=20s');
  await expect(page.getByTestId('sim-clock')).toHaveText(/00:20\.000/);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('sim-clock')).not.toHaveText(/00:20\.000/);
  const at = Number(await page.getByTestId('sim-clock').getAttribute('data-ms'));
  expect((await hook(page)).hash).toBe(nodeHash(at));
  // Back to the start: a rewind, replayed in the worker.
  await page.keyboard.press('Home');
  await expect(page.getByTestId('sim-clock')).toHaveText(/00:00\.000/);
  expect((await hook(page)).hash).toBe(nodeHash(0));
});

test('the objects table receives the rows it shows: scrolled to the middle of 1,000 nodes, the rows there are drawn', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/?scenario=scale-1000-nodes&paused&t=20s');
  const table = page.getByTestId('objects-table');
  await expect.poll(async () => Number(await table.getAttribute('data-rows')), { timeout: 90_000 }).toBeGreaterThan(1000);
  const total = Number(await table.getAttribute('data-rows'));
  // The table's length is the whole table; the DOM holds only a window of it.
  expect(await page.getByTestId('object-row').count()).toBeLessThan(200);
  const scroller = page.getByTestId('objects-scroll');
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  // The rows under the scroll position arrive from the worker: one of them sits at the top of the view.
  await expect
    .poll(() =>
      scroller.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        return [...el.querySelectorAll('[data-testid="object-row"]')].some((r) => Math.abs(r.getBoundingClientRect().top - top) < 200);
      }),
    )
    .toBe(true);
  const first = await page.getByTestId('object-row').first().getAttribute('data-name');
  await scroller.evaluate((el) => (el.scrollTop = 0));
  await expect(page.getByTestId('object-row').first()).not.toHaveAttribute('data-name', first!);
  expect(Number(await table.getAttribute('data-rows'))).toBe(total);
});
