// Browser tests of the web app. `./dev test` runs them after building the API and the web app;
// by hand: see README.md here.
import { defineConfig } from '@playwright/test';
import { chromium } from './harness.mjs';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  // Each spec file starts its own API on a fresh database; one worker keeps the 2-core CI calm.
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: process.env.POSTWARDEN_E2E_OUT ?? '/tmp/postwarden-e2e-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: chromium,
    locale: 'en-GB',
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
