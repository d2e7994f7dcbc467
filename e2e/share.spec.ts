import { test } from '@playwright/test';
test('look', async ({ page }) => {
  await page.goto('/?t=30s');
  await page.getByTestId('sim-clock').waitFor();
  await page.screenshot({ path: '/tmp/kv/shots-share/before.png' });
});
