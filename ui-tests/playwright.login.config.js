/**
 * The login pages: a standalone Jupyter Server and a real JupyterHub, both branded with the
 * demo brand. No webServer here: login-tests/login.spec.ts starts (and stops) its own servers
 * on free ports, with authentication and XSRF on, unlike Galata's test server on 8888.
 */
const { launchOptions } = require('./chromium');

module.exports = {
  testDir: './login-tests',
  // Not test-results/ itself: Playwright empties its outputDir, and the main run's traces
  // live there.
  outputDir: './test-results/login',
  timeout: 120 * 1000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  expect: {
    toHaveScreenshot: { maxDiffPixelRatio: 0.01 }
  },
  use: {
    launchOptions,
    video: 'off',
    trace: 'retain-on-failure',
    viewport: { width: 1024, height: 640 },
    colorScheme: 'light'
  }
};
