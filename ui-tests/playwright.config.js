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
