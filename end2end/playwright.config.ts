import { defineConfig } from '@playwright/test';

// The server under test: the debug build, on a fresh database with the demo content.
const port = Number(process.env.GAZETTE_E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // One retry in CI, reported as flaky rather than hidden.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true }, testIgnore: /attacks\.spec/ },
    { name: 'no-javascript', use: { javaScriptEnabled: false }, testIgnore: /attacks\.spec/ },
    // Fills the site with hostile content, so it runs after the others.
    {
      name: 'attacks',
      use: { javaScriptEnabled: true },
      testMatch: /attacks\.spec/,
      dependencies: ['hydrated', 'no-javascript'],
    },
  ],
  webServer: {
    command: 'bash ./serve-for-tests.sh',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { GAZETTE_E2E_PORT: String(port) },
  },
});
