// Playwright runs the specs in e2e/ against the BUILT app (vite build ->
// dist/, served by vite preview), in Chromium: the system's when there is
// one (CHROMIUM_PATH or /usr/bin/chromium), else Playwright's own.
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// KUBEVIZ_PORT / KUBEVIZ_DIST let two builds be tested side by side (e.g. by two engineers).
const PORT = Number(process.env.KUBEVIZ_PORT ?? 4173);
const DIST = process.env.KUBEVIZ_DIST ?? 'dist';
const isCI = !!process.env.CI;

function systemChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const executablePath = systemChromium();

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  forbidOnly: isCI,
  retries: 0,
  workers: isCI ? 1 : undefined,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1 --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !isCI,
    timeout: 60_000,
  },
});
