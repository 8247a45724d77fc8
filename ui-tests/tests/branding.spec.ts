import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Page } from '@playwright/test';
import * as path from 'path';

import { collectErrors, labextension, SCREENSHOTS } from './helpers';

/** The demo brand the test server runs with (jupyter_server_test_config.py). */
const SPEC = require('../../demo/brand/brand.json');
const PLUGIN = 'jupyterlab-atrium:branding';
/**
 * Full-page comparisons. Nothing on the page depends on the time (no file list, the
 * kernel is idle); Playwright hides the text caret and stops animations itself.
 */
const SCREENSHOT = { maxDiffPixelRatio: 0.01 };
const NOTICE_TEXT =
  'Restricted: pseudonymised patient data. Follow the data protection rules.';

/** The members of Galata's `window.jupyterapp` these tests use. */
interface ILabWindow {
  jupyterapp: {
    hasPlugin(id: string): boolean;
    isPluginActivated(id: string): boolean;
    deactivatePlugin(id: string): Promise<string[]>;
    commands: { execute(id: string, args?: unknown): Promise<unknown> };
  };
}

function brandColor(page: Page): Promise<string> {
  return page.evaluate(() =>
    getComputedStyle(document.body)
      .getPropertyValue('--jp-brand-color1')
      .trim()
      .toLowerCase()
  );
}

/** The theme's own value, declared on :root, which the brand overrides on <body>. */
function themeBrandColor(page: Page): Promise<string> {
  return page.evaluate(() =>
    getComputedStyle(document.documentElement)
      .getPropertyValue('--jp-brand-color1')
      .trim()
      .toLowerCase()
  );
}

/** The favicon the browser shows: the link whose rel is "icon". */
function currentIcon(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? null
  );
}

async function visibleLogo(page: Page): Promise<string | null> {
  const logo = page.locator('#jp-MainLogo img:visible');
  await expect(logo).toHaveCount(1);
  // The image really loaded from the server, not just an element with a src.
  await expect
    .poll(() => logo.evaluate(img => (img as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);
  return logo.getAttribute('src');
}

function exec(page: Page, command: string, args?: unknown): Promise<unknown> {
  return page.evaluate(
    ({ command, args }) =>
      (window as unknown as ILabWindow).jupyterapp.commands.execute(
        command,
        args
      ),
    { command, args }
  );
}

/** Everything that belongs to the stock look (plugin disabled or deactivated). */
async function expectStockLook(page: IJupyterLabPageFixture): Promise<void> {
  await expect(
    page.locator('#jp-MainLogo svg[data-icon="ui-components:jupyter"]')
  ).toBeVisible();
  await expect(page.locator('#jp-MainLogo img')).toHaveCount(0);
  const stock = await themeBrandColor(page);
  expect(stock).not.toBe('');
  expect(await brandColor(page)).toBe(stock);
  expect(await brandColor(page)).not.toBe(SPEC.colors.light.brand);
  await expect(page).toHaveTitle(/(^| - )JupyterLab$/);
  await expect(page.locator('link.idle.favicon')).toHaveAttribute(
    'href',
    /static\/favicons\/favicon\.ico$/
  );
  await expect(page.locator('link.busy.favicon')).toHaveAttribute(
    'href',
    /static\/favicons\/favicon-busy-1\.ico$/
  );
  await expect(page.locator('.jp-Atrium-Branding-notice')).toHaveCount(0);
  await expect(page.locator('style[data-atrium-branding]')).toHaveCount(0);
  const shellTop = await page
    .locator('#main')
    .evaluate(node => node.getBoundingClientRect().top);
  expect(shellTop).toBe(0);
}

test.describe('branding in JupyterLab', () => {
  // The theme is a user setting that outlives the page: a test that switched to dark and
  // failed half-way must not leave the next tests (and Notebook 7's) in the dark theme.
  test.afterEach(async ({ page }) => {
    if ((await page.getAttribute('body', 'data-jp-theme-light')) !== 'true') {
      await exec(page, 'apputils:change-theme', { theme: 'JupyterLab Light' });
      await page.waitForSelector('body[data-jp-theme-light="true"]', {
        state: 'attached'
      });
    }
  });

  test('loads branded, with no console errors', async ({ page, baseURL }) => {
    const errors = collectErrors(page);
    await page.goto(`${baseURL}/lab`);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
    const active = await page.evaluate(
      id => (window as unknown as ILabWindow).jupyterapp.isPluginActivated(id),
      PLUGIN
    );
    expect(active).toBe(true);
    // The tab title carries the brand name instead of "JupyterLab".
    await expect(page).toHaveTitle(SPEC.name);
    await expect(page.locator('.jp-Atrium-Branding-notice')).toHaveCount(2);
    expect(errors).toEqual([]);
  });

  test('logo and colours follow the brand in the light and dark themes', async ({
    page
  }) => {
    expect(await visibleLogo(page)).toMatch(
      /\/atrium\/branding\/assets\/logo-light\.svg\?v=/
    );
    await expect(page.locator('#jp-MainLogo img:visible')).toHaveAttribute(
      'alt',
      SPEC.name
    );
    expect(await brandColor(page)).toBe(SPEC.colors.light.brand);
    expect(await themeBrandColor(page)).not.toBe(SPEC.colors.light.brand);

    // The logo asset is the brand's (sanitised by the server, still the same drawing).
    const src = await page
      .locator('#jp-MainLogo img:visible')
      .getAttribute('src');
    const reply = await page.request.get(src!);
    expect(reply.status()).toBe(200);
    expect(reply.headers()['content-type']).toContain('image/svg+xml');
    expect(await reply.text()).toContain('Northbridge');

    // A small notebook for the pictures: the brand shows on the active cell too. The
    // file browser is closed because it would show the test's temporary folder.
    await page.notebook.createNew('ward-admissions.ipynb');
    await page.notebook.setCell(
      0,
      'markdown',
      '# Ward admissions\n\nPseudonymised extract, refreshed nightly.'
    );
    await page.notebook.runCell(0, true);
    await page.notebook.addCell(
      'code',
      'admissions = load_extract("ward-7")\nadmissions.describe()'
    );
    await page.notebook.selectCells(1);
    await page.sidebar.close('left');
    await expect(
      page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    ).toHaveCount(1, { timeout: 30000 });
    // Away from the cells, so no hover decoration gets into the pictures.
    await page.mouse.move(600, 600);

    await expect(page).toHaveScreenshot('branding-light.png', SCREENSHOT);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'branding-light.png')
    });

    await page.menu.clickMenuItem('Settings>Theme>JupyterLab Dark');
    await page.waitForSelector('body[data-jp-theme-light="false"]', {
      state: 'attached'
    });
    await expect.poll(() => brandColor(page)).toBe(SPEC.colors.dark.brand);
    expect(await visibleLogo(page)).toMatch(
      /\/atrium\/branding\/assets\/logo-dark\.svg\?v=/
    );
    await expect(page).toHaveScreenshot('branding-dark.png', SCREENSHOT);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'branding-dark.png')
    });

    // And back: the light values return without a reload.
    await exec(page, 'apputils:change-theme', { theme: 'JupyterLab Light' });
    await page.waitForSelector('body[data-jp-theme-light="true"]', {
      state: 'attached'
    });
    await expect.poll(() => brandColor(page)).toBe(SPEC.colors.light.brand);
    expect(await visibleLogo(page)).toMatch(/logo-light\.svg/);
  });

  test('the notice is shown top and bottom and cannot be closed or hidden', async ({
    page
  }) => {
    const top = page.locator('.jp-Atrium-Branding-notice[data-position="top"]');
    const bottom = page.locator(
      '.jp-Atrium-Branding-notice[data-position="bottom"]'
    );
    const boxes = async () => ({
      shell: (await page.locator('#main').boundingBox())!,
      topBox: (await top.boundingBox())!,
      bottomBox: (await bottom.boundingBox())!
    });
    // The shell is moved out of the banners' way, not covered by them.
    const clearOfBanners = async () => {
      const { shell, topBox, bottomBox } = await boxes();
      return (
        shell.y >= topBox.y + topBox.height - 0.5 &&
        shell.y + shell.height <= bottomBox.y + 0.5
      );
    };
    const check = async () => {
      await expect(top).toBeVisible();
      await expect(bottom).toBeVisible();
      await expect(top.getByRole('alert')).toHaveText(NOTICE_TEXT);
      // The bottom copy is the same notice; it is not announced a second time.
      await expect(bottom).toHaveText(NOTICE_TEXT);
      await expect(bottom.locator('[aria-hidden="true"]')).toHaveCount(1);
      await expect(
        page.locator('.jp-Atrium-Branding-notice button')
      ).toHaveCount(0);
      const viewport = page.viewportSize()!;
      const { shell, topBox, bottomBox } = await boxes();
      expect(topBox.y).toBe(0);
      expect(bottomBox.y + bottomBox.height).toBeCloseTo(viewport.height, 0);
      expect(shell.y).toBeGreaterThanOrEqual(topBox.y + topBox.height - 0.5);
      expect(shell.y + shell.height).toBeLessThanOrEqual(bottomBox.y + 0.5);
    };
    await check();

    // A narrow window wraps the text onto more lines: the shell moves with the banners
    // (room is made for one line at start, and the banners' real heights come later).
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: size.height });
    await expect
      .poll(async () => (await top.boundingBox())!.height)
      .toBeGreaterThan(30);
    await expect.poll(clearOfBanners).toBe(true);
    await page.setViewportSize(size);
    await expect
      .poll(async () => (await top.boundingBox())!.height)
      .toBeLessThan(30);
    await expect.poll(clearOfBanners).toBe(true);
    await check();

    await expect(top.getByRole('link')).toHaveAttribute(
      'href',
      'https://example.org/northbridge/data-protection'
    );
    await expect(top.getByRole('link')).toHaveAttribute('target', '_blank');
    await expect(top).toHaveCSS('background-color', 'rgb(122, 75, 0)');
    await expect(top).toHaveCSS('color', 'rgb(255, 255, 255)');

    // What View and the palette offer to hide parts of JupyterLab leaves it in place.
    await exec(page, 'application:toggle-presentation-mode');
    await exec(page, 'statusbar:toggle');
    await exec(page, 'application:set-mode', { mode: 'single-document' });
    await exec(page, 'application:toggle-header');
    await expect(page.locator('#jp-top-panel')).toBeHidden();
    await check();
    await exec(page, 'application:toggle-header');
    await exec(page, 'application:set-mode', { mode: 'multiple-document' });
    await exec(page, 'statusbar:toggle');
    await exec(page, 'application:toggle-presentation-mode');
  });

  test('tab title and favicon carry the brand; the busy indicator still works', async ({
    page
  }) => {
    await expect(page.locator('link.idle.favicon')).toHaveAttribute(
      'href',
      /\/atrium\/branding\/assets\/favicon-idle\.svg\?v=/
    );
    await expect(page.locator('link.busy.favicon')).toHaveAttribute(
      'href',
      /\/atrium\/branding\/assets\/favicon-busy\.svg\?v=/
    );
    for (const kind of ['idle', 'busy']) {
      const href = await page
        .locator(`link.${kind}.favicon`)
        .evaluate(link => (link as HTMLLinkElement).href);
      const reply = await page.request.get(href);
      expect(reply.status()).toBe(200);
      expect(reply.headers()['content-type']).toContain('image/svg+xml');
    }

    await page.notebook.createNew('busy.ipynb');
    await expect(page).toHaveTitle(`busy.ipynb - ${SPEC.name}`);
    await page.notebook.setCell(0, 'code', 'import time; time.sleep(2)');
    await expect(
      page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    ).toHaveCount(1, { timeout: 30000 });
    expect(await currentIcon(page)).toMatch(/favicon-idle\.svg/);
    // Run without waiting, and watch the icon flip to busy and back.
    await page.evaluate(() => {
      void (window as unknown as ILabWindow).jupyterapp.commands.execute(
        'notebook:run-cell'
      );
    });
    await expect
      .poll(() => currentIcon(page), { timeout: 10000, intervals: [100] })
      .toMatch(/favicon-busy\.svg/);
    await expect
      .poll(() => currentIcon(page), { timeout: 15000, intervals: [200] })
      .toMatch(/favicon-idle\.svg/);
    await expect(page).toHaveTitle(`busy.ipynb - ${SPEC.name}`);
  });

  test('the About dialog names the brand', async ({ page }) => {
    await page.menu.clickMenuItem('Help>About Atrium');
    const dialog = page.locator('.jp-Dialog');
    await expect(
      dialog.locator('[data-atrium-fact="branding-state"]')
    ).toHaveText(SPEC.name);
    await expect(
      dialog.locator(`[data-atrium-plugin="${PLUGIN}"]`)
    ).toHaveAttribute('data-state', 'active');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});

test.describe('branding switched off', () => {
  test.afterEach(() => {
    labextension('enable', PLUGIN);
  });

  test('disabling the plugin brings back the stock look', async ({ page }) => {
    labextension('disable', PLUGIN);
    const errors = collectErrors(page);
    await page.reload({ waitForIsReady: true });
    expect(
      await page.evaluate(
        id => (window as unknown as ILabWindow).jupyterapp.hasPlugin(id),
        PLUGIN
      )
    ).toBe(false);
    await expectStockLook(page);
    await page.menu.clickMenuItem('Help>About Atrium');
    await expect(
      page.locator('.jp-Dialog [data-atrium-fact="branding-state"]')
    ).toHaveText(`${SPEC.name} (not applied: the Branding plugin is off)`);
    expect(errors).toEqual([]);
  });

  test('deactivating the plugin at runtime restores the stock look', async ({
    page
  }) => {
    await expect(page.locator('.jp-Atrium-Branding-notice')).toHaveCount(2);
    const deactivated = await page.evaluate(
      id => (window as unknown as ILabWindow).jupyterapp.deactivatePlugin(id),
      PLUGIN
    );
    expect(deactivated).toEqual([]);
    await expectStockLook(page);
  });
});

test.describe('branding in Notebook 7', () => {
  test('the tree page shows the logo, title and notice', async ({
    browser,
    baseURL
  }) => {
    const page = await browser.newPage();
    await page.goto(`${baseURL}/tree`);
    const logo = page.locator('#jp-NotebookLogo img:visible');
    await expect(logo).toHaveAttribute('src', /logo-light\.svg\?v=/);
    // Still Notebook 7's link to the file browser (the demo brand gives no link).
    await expect(page.locator('#jp-NotebookLogo')).toHaveAttribute(
      'href',
      /\/tree$/
    );
    await expect(page).toHaveTitle(`Home - ${SPEC.name}`);
    await expect(
      page
        .locator('.jp-Atrium-Branding-notice[data-position="top"]')
        .getByRole('alert')
    ).toHaveText(NOTICE_TEXT);
    await expect(
      page.locator('.jp-Atrium-Branding-notice[data-position="bottom"]')
    ).toBeVisible();
    expect(await brandColor(page)).toBe(SPEC.colors.light.brand);
    await page.close();
  });
});
