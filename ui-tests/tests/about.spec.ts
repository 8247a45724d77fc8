import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

import { collectErrors, labextension, SCREENSHOTS } from './helpers';

const pkg = require('../../package.json');

/**
 * The JupyterLab application Galata exposes as `window.jupyterapp`; only the members these
 * tests read, so no `any` is needed.
 */
interface ILabWindow {
  jupyterapp: {
    hasPlugin(id: string): boolean;
    isPluginActivated(id: string): boolean;
    commands: { hasCommand(id: string): boolean };
  };
}

test.describe('Atrium in JupyterLab', () => {
  test('loads with Atrium active and no console errors', async ({
    page,
    baseURL
  }) => {
    const errors = collectErrors(page);
    await page.goto(`${baseURL}/lab`);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
    const active = await page.evaluate(() => {
      const app = (window as unknown as ILabWindow).jupyterapp;
      return app.isPluginActivated('jupyterlab-atrium:about');
    });
    expect(active).toBe(true);
    expect(errors).toEqual([]);
  });

  test('About dialog from the Help menu shows the deployment facts', async ({
    page
  }) => {
    await page.menu.clickMenuItem('Help>About Atrium');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-Dialog-header')).toHaveText(
      'About Atrium'
    );
    await expect(dialog.locator('[data-atrium-fact="version"]')).toHaveText(
      pkg.version
    );
    await expect(dialog.locator('[data-atrium-fact="mode"]')).toHaveText(
      'embedded'
    );
    const service = dialog.locator('[data-atrium-fact="service"]');
    await expect(service).toContainText('answers in');
    await expect(service).toContainText(/database sqlite, schema \d{4}/);
    await expect(service).toContainText('up to date');
    const about = dialog.locator(
      '[data-atrium-plugin="jupyterlab-atrium:about"]'
    );
    await expect(about).toHaveAttribute('data-state', 'active');
    await expect(about).toContainText('enabled, active');
    await expect(
      dialog.locator(
        '[data-atrium-fact="policy"] [data-atrium-policy-setting="mode"]'
      )
    ).toHaveText(/^(service)?modeembedded$/);
    // c.AtriumApp.disabled_features is fixed for the whole UI-test server (none off): what a
    // feature turned off does to the plugins and the dialog is covered by jest.
    await expect(
      dialog.locator('[data-atrium-policy-section="disabledFeatures"]')
    ).toHaveText('disabledFeaturesnone');
    // The whole policy is in view, not behind a scroll bar in a box that a screenshot
    // cuts off (JupyterLab's dialogs stop at 500 px; issue 12).
    const policyRows = dialog.locator('[data-atrium-fact="policy"] tbody tr');
    await expect(policyRows.last()).toBeVisible();
    const body = dialog.locator('.jp-Atrium-About-body');
    const [bottom, rowBottom] = await Promise.all([
      body.evaluate(node => node.getBoundingClientRect().bottom),
      policyRows.last().evaluate(node => node.getBoundingClientRect().bottom)
    ]);
    expect(rowBottom).toBeLessThanOrEqual(bottom);
    await dialog
      .locator('.jp-Dialog-content')
      .screenshot({ path: path.join(SCREENSHOTS, 'about-dialog.png') });
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'jupyterlab-about.png')
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
  });

  test('About is in the command palette', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    await page.locator('#modal-command-palette input').fill('About Atrium');
    await page
      .locator('#modal-command-palette .lm-CommandPalette-item', {
        hasText: 'About Atrium'
      })
      .first()
      .click();
    await expect(page.locator('.jp-Dialog-header')).toHaveText('About Atrium');
  });
});

test.describe('admin control', () => {
  test.afterEach(() => {
    labextension('enable', 'jupyterlab-atrium:about');
    labextension('unlock', 'jupyterlab-atrium:about');
  });

  test('disabling the About plugin alone keeps JupyterLab working', async ({
    page
  }) => {
    labextension('disable', 'jupyterlab-atrium:about');
    const errors = collectErrors(page);
    await page.reload({ waitForIsReady: true });
    const state = await page.evaluate(() => {
      const app = (window as unknown as ILabWindow).jupyterapp;
      return {
        command: app.commands.hasCommand('atrium:about'),
        plugin: app.hasPlugin('jupyterlab-atrium:about')
      };
    });
    expect(state).toEqual({ command: false, plugin: false });
    await page.menu.open('Help');
    await expect(
      page.locator('.lm-Menu-itemLabel', { hasText: 'About Atrium' })
    ).toHaveCount(0);
    await page.keyboard.press('Escape');
    // The rest of JupyterLab still works: open a notebook.
    await page.notebook.createNew('still-works.ipynb');
    await expect(page.locator('.jp-NotebookPanel')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('a locked plugin is reported as locked', async ({ page }) => {
    labextension('lock', 'jupyterlab-atrium:about');
    await page.reload({ waitForIsReady: true });
    await page.menu.clickMenuItem('Help>About Atrium');
    await expect(
      page.locator('[data-atrium-plugin="jupyterlab-atrium:about"]')
    ).toContainText('locked');
  });
});
