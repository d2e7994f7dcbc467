// Refreshes docs/screenshot.png (the README's picture) from the built app at
// a fixed instant. Only on request: KUBEVIZ_SCREENSHOT=1 npx playwright test screenshot
import { expect, test } from '@playwright/test';

test('docs screenshot of /?t=30s at 1440x900', async ({ page }) => {
  test.skip(!process.env.KUBEVIZ_SCREENSHOT, 'set KUBEVIZ_SCREENSHOT=1 to refresh docs/screenshot.png');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?t=30s');
  await expect(page.getByTestId('sim-clock')).toHaveText('00:30.000');
  await expect(page.getByTestId('wire-message').first()).toBeVisible();
  await page.screenshot({ path: 'docs/screenshot.png' });
});
