import { expect, test } from '@jupyterlab/galata';

import { json, plainNotebook, publishViaApi } from './gallery-helpers';

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

/**
 * The telemetry hook uses JupyterLab's own execution signals, which Notebook 7 shares: runs
 * of a gallery notebook opened at /notebooks are reported as in JupyterLab.
 */
test('runs of a gallery notebook are reported from Notebook 7', async ({
  browser,
  baseURL,
  request,
  tmpPath
}) => {
  const settings = `${baseURL}/lab/api/settings/jupyterlab-atrium:telemetry`;
  const saved = await request.put(settings, {
    data: { raw: JSON.stringify({ report: 'yes', flushIntervalSeconds: 5 }) }
  });
  expect(saved.ok()).toBe(true);
  try {
    const notebook = plainNotebook([
      { type: 'code', source: 'a = 1' },
      { type: 'code', source: 'b = a + 1' }
    ]);
    const summary = await publishViaApi(
      request,
      baseURL!,
      { title: 'Telemetry in Notebook 7' },
      notebook
    );
    const file = `${tmpPath}/nb7-telemetry.ipynb`;
    const linked = {
      ...notebook,
      metadata: {
        ...notebook.metadata,
        atrium: {
          gallery: {
            id: summary.id,
            version: summary.version,
            contentHash: summary.contentHash,
            role: 'owner'
          }
        }
      }
    };
    const written = await request.put(`${baseURL}/api/contents/${file}`, {
      data: { type: 'notebook', format: 'json', content: linked }
    });
    expect(written.ok()).toBe(true);

    const page = await browser.newPage();
    await page.goto(`${baseURL}/notebooks/${file}`);
    const cells = page.locator('.jp-Notebook .jp-Cell');
    await expect(cells).toHaveCount(2, { timeout: 60000 });
    await cells.first().click();
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    await expect
      .poll(
        async () =>
          (
            await json<{ counts: { executions: number } }>(
              await request.get(
                `${baseURL}/atrium/api/service/health/notebooks/${summary.id}`
              )
            )
          ).counts.executions,
        { timeout: 60000 }
      )
      .toBe(2);
    await page.close();
  } finally {
    await request.put(settings, { data: { raw: '{}' } });
  }
});
