// Cluster DNS in the inspector, on the gallery story dns-follows-pod, paused
// at fixed instants (?t=): select the headless Service db and read its DNS
// lookup, hop by hop, from the pod client; ask for db-0.db before and after
// node-2 is drained at 40 s; follow a link to the CoreDNS pod. Everything
// shown is a function of the scenario and the instant.
import { expect, test, type Page } from '@playwright/test';

const SHOTS = process.env.KUBEVIZ_SHOTS ?? 'test-results';

async function openAt(page: Page, t: string, ms: number) {
  await page.goto(`/?scenario=dns-follows-pod&t=${t}`);
  // Replaying to the instant can take a while on a busy machine.
  await expect(page.getByTestId('sim-clock')).toHaveAttribute('data-ms', String(ms), { timeout: 20_000 });
}

const step = (page: Page, id: string) => page.locator(`[data-testid="dns-step"][data-step="${id}"]`);

/** The whole DNS lookup section at once: a viewport tall enough for the inspector not to scroll. */
async function shootSection(page: Page, file: string) {
  await page.setViewportSize({ width: 1440, height: 1500 });
  await page.getByTestId('dns-lookup').screenshot({ path: `${SHOTS}/${file}` });
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function selectService(page: Page, name: string) {
  await page.locator(`[data-testid="object-row"][data-kind="Service"][data-name="${name}"]`).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-id', `Service/default/${name}`);
}

test('the headless Service db: its name followed from client through kube-dns and CoreDNS to the pods', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAt(page, '30s', 30_000);
  await selectService(page, 'db');

  const lookup = page.getByTestId('dns-lookup');
  await expect(lookup).toHaveAttribute('data-outcome', 'answer');
  await expect(page.getByTestId('dns-name')).toHaveValue('db');
  // The asking pod: client, the only pod in default that is not one of db's.
  await expect(page.getByTestId('dns-asker')).toHaveValue('default/client');
  await expect(page.getByTestId('dns-name').locator('option')).toHaveText(['db', 'db-0.db', 'db-1.db', 'db-2.db']);

  await expect(step(page, 'resolv')).toContainText('search default.svc.cluster.local svc.cluster.local cluster.local');
  await expect(step(page, 'resolv')).toContainText('options ndots:5');
  await expect(step(page, 'names')).toContainText('1 of 4 asked');
  await expect(step(page, 'server')).toContainText('A over UDP to 10.96.0.10:53 = Service kube-system/kube-dns');
  await expect(step(page, 'proxy')).toContainText('on node-1: 10.96.0.10:53/UDP → 2 ready endpoints');
  await expect(step(page, 'coredns')).toContainText(/coredns-\S+ on node-\d answers/);
  await expect(step(page, 'answer')).toContainText('headless Service default/db: its ready addresses');
  // Three A records, one per StatefulSet pod, listed with the pods they are.
  await expect(step(page, 'answer')).toContainText('(3 A records, TTL 30 s)');
  const pods = step(page, 'endpoints').locator('li');
  await expect(pods).toHaveCount(3);
  await expect(pods.nth(0)).toContainText(/^db-0 10\.244\.1\.2 on node-2 · ready$/);
  await page.screenshot({ path: `${SHOTS}/dns-db-30s.png` });
  await shootSection(page, 'dns-db-30s-section.png');

  // One pod's own name: db-0.db answers with db-0 alone.
  await page.getByTestId('dns-name').selectOption('db-0.db');
  await expect(step(page, 'answer')).toContainText('the endpoint db-0 of Service default/db');
  await expect(step(page, 'endpoints').locator('li')).toHaveText([/^db-0 10\.244\.1\.2 on node-2/]);

  // The CoreDNS pod is a link: it selects that pod.
  const coredns = step(page, 'coredns').getByTestId('dns-link').first();
  const name = (await coredns.textContent())!;
  await coredns.click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-id', `Pod/kube-system/${name}`);
});

test('after the drain db-0.db answers with its new address on another node; while it shuts down, NXDOMAIN', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAt(page, '45s', 45_000);
  await selectService(page, 'db');
  await page.getByTestId('dns-name').selectOption('db-0.db');
  const lookup = page.getByTestId('dns-lookup');
  await expect(lookup).toHaveAttribute('data-outcome', 'nxdomain');
  await expect(step(page, 'answer')).toHaveAttribute('data-tone', 'bad');
  await expect(step(page, 'answer')).toHaveText(/NXDOMAIN for all 4 names: Service default\/db has no ready endpoint named db-0$/);
  // db-0 is still listed, terminating and not ready, on the drained node-2.
  await expect(step(page, 'endpoints').locator('li').filter({ hasText: /^db-0 / })).toHaveText(/^db-0 10\.244\.1\.2 on node-2 · terminating, not ready$/);
  await shootSection(page, 'dns-db-45s-section.png');

  await openAt(page, '60s', 60_000);
  await selectService(page, 'db');
  await page.getByTestId('dns-name').selectOption('db-0.db');
  await expect(lookup).toHaveAttribute('data-outcome', 'answer');
  await expect(step(page, 'endpoints').locator('li')).toHaveText([/^db-0 10\.244\.2\.4 on node-3 · ready$/]);
  await shootSection(page, 'dns-db-0-60s-section.png');
});

test('the ClusterIP Service db-read: one address, kube-proxy spreads connections over the pods behind it', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAt(page, '60s', 60_000);
  await selectService(page, 'db-read');
  await expect(step(page, 'answer')).toContainText(/Service default\/db-read has ClusterIP 10\.\d+\.\d+\.\d+/);
  const eps = step(page, 'endpoints').locator('li');
  await expect(eps).toHaveCount(3);
  await expect(eps.filter({ hasText: 'on node-2' })).toHaveCount(0);
  await shootSection(page, 'dns-db-read-60s-section.png');
  // The light theme keeps the rail's tones readable.
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: `${SHOTS}/dns-db-read-60s-light.png` });
});

test('the console: kubectl exec client -- nslookup db-0.db prints what busybox nslookup prints, and records no action', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAt(page, '30s', 30_000);
  await page.getByTestId('console-toggle').click();
  const input = page.getByTestId('console-input');
  await input.fill('exec client -- nslookup db-0.db');
  await input.press('Enter');
  const lines = page.locator('[data-testid="console-line"]');
  await expect(lines.filter({ hasText: 'Name:' })).toHaveText([/Name:\s+db-0\.db\.default\.svc\.cluster\.local/]);
  await expect(lines.filter({ hasText: 'Address: ' }).last()).toHaveText(/Address: 10\.244\.1\.2/);
  await expect(lines.filter({ hasText: /^Server:/ })).toHaveText([/Server:\s+10\.96\.0\.10/]);
  // Looking is not acting: the action log stays empty.
  await expect(page.getByTestId('action-entry')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/dns-console-30s.png` });
});
