import { expect, test } from '@jupyterlab/galata';

const pkg = require('../../package.json');

/**
 * Notebook 7.6's shortcuts plugin throws this on every /tree load, with Atrium uninstalled
 * as well (checked by moving the labextension away); it is not ours to fail on.
 */
const STOCK_NOTEBOOK7_ERRORS = [
  "TypeError: Cannot read properties of undefined (reading 'schema')",
  // Notebook 7.6's docmanager-extension runs Object.keys() on its `defaultViewers` setting
  // before its settings transform has filled it in. That happens on /tree when a plugin
  // that requires INotebookTracker (the gallery) activates the notebook tracker there; the
  // message comes from notebook_core's docmanager plugin, not from Atrium's code.
  'Cannot convert undefined or null to object'
];

/**
 * Notebook 7 runs the same labextension: the About plugin must work there too. Galata's
 * page fixture waits for JupyterLab, so these tests drive a plain Playwright page.
 */
test('About Atrium works in Notebook 7', async ({ browser, baseURL }) => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(String(error)));
  page.on('console', msg => {
    if (msg.type() === 'error') {
      errors.push(msg.text());
    }
  });
  await page.goto(`${baseURL}/tree`);
  await page.getByRole('menuitem', { name: 'Help' }).click();
  await page.getByRole('menuitem', { name: 'About Atrium' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog.locator('[data-atrium-fact="version"]')).toHaveText(
    pkg.version
  );
  await expect(dialog.locator('[data-atrium-fact="mode"]')).toHaveText(
    'embedded'
  );
  await expect(dialog.locator('[data-atrium-fact="service"]')).toContainText(
    'answers in'
  );
  expect(errors.filter(e => !STOCK_NOTEBOOK7_ERRORS.includes(e))).toEqual([]);
  await page.close();
});
