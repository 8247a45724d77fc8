/**
 * How Atrium's browser tests and benchmarks start Chromium on machines where Playwright
 * cannot download its own: Debian's build, headless, with nothing that phones home (the
 * network is closed, and background requests would only fail and add noise).
 */
module.exports.launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
  ]
};
