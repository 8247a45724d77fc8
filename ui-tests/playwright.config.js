/**
 * Galata configuration: a real JupyterLab with Atrium, driven in Debian's Chromium.
 * Playwright cannot download browsers (or ffmpeg) here, hence executablePath and no video.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const { launchOptions } = require('./chromium');

module.exports = {
  ...baseConfig,
  testDir: './tests',
  workers: 1,
  // A deadline, not a wait: reloading JupyterLab after `labextension lock|disable` takes
  // well over Galata's 60 s default when CI's two cores are busy.
  timeout: 180 * 1000,
  // Likewise for each expectation (they poll, so a passing one returns as soon as it holds):
  // on a loaded machine the brand spec or a panel can take longer than 5 s to arrive.
  expect: { ...baseConfig.expect, timeout: 20 * 1000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...baseConfig.use,
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions
  },
  webServer: {
    command: 'jlpm start',
    url: 'http://localhost:8888/lab',
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
