/**
 * The gallery diff is nbdime's notebook diff in a main-area tab (issue 12): View Diff on
 * a linked copy and a version diff on the notebook's page show the cells that changed,
 * were removed or were added, side by side, markdown rendered through JupyterLab's
 * sanitiser, metadata changes collapsed; an untouched copy shows no difference, and
 * neither does one just published (the diff and the sync status agree).
 */
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

import {
  clickPublishButton,
  dialog,
  dialogButton,
  exec,
  expectStatus,
  linkOf,
  plainNotebook,
  publishButton,
  publishFromToolbar,
  readFile,
  SCREENSHOTS,
  setSource,
  showGalleryPage,
  shutdownKernels
} from './gallery-helpers';
import { collectErrors, reloadWhenSaved, savedLayouts } from './helpers';

test.setTimeout(240000);

test.afterEach(async ({ page, request, baseURL }) => {
  if ((await page.getAttribute('body', 'data-jp-theme-light')) === 'false') {
    await exec(page, 'apputils:change-theme', { theme: 'JupyterLab Light' });
    await page.waitForSelector('body[data-jp-theme-light="true"]', {
      state: 'attached'
    });
  }
  await shutdownKernels(request, baseURL!);
});

/** The members of the current notebook panel the edits below use. */
interface IEditShell {
  jupyterapp: {
    shell: {
      currentWidget: {
        context: {
          model: {
            setMetadata(key: string, value: unknown): void;
            sharedModel: {
              cells: Array<{ setMetadata(key: string, value: unknown): void }>;
              deleteCell(index: number): void;
              insertCell(index: number, cell: unknown): void;
            };
          };
        };
      };
    };
  };
}

const tabSelector = '#jp-main-dock-panel .jp-Atrium-GalleryDiff-tab';

async function closeTab(page: Page, label: string): Promise<void> {
  await page
    .locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: label })
    .locator('.lm-TabBar-tabCloseIcon')
    .click();
  await expect(page.locator(tabSelector)).toHaveCount(0);
}

/** Open View Diff with Gallery and wait for its tab. */
async function viewDiff(page: Page): Promise<Locator> {
  // Not awaited first: with waitForClose flows the command resolves on close.
  const shown = exec(page, 'atrium-gallery:diff');
  const tab = page.locator(tabSelector);
  await expect(tab).toBeVisible({ timeout: 20000 });
  await shown;
  return tab;
}

/**
 * nbdime's diff of the edits below, drawn: the changed cell side by side, the removed
 * and the added cell, tags and notebook metadata collapsed, unchanged cells hidden until
 * asked for, then the markdown cell rendered and sanitised.
 */
async function expectNbdimeDiff(tab: Locator, picture: string): Promise<void> {
  await expect(tab).toContainText(
    '1 added, 1 removed, 2 changed, 2 unchanged cells.'
  );
  const nbdime = tab.locator('.jp-Atrium-GalleryDiff-nbdime');
  await expect(nbdime.locator('.jp-Notebook-diff')).toBeVisible({
    timeout: 30000
  });
  await expect(nbdime).not.toHaveAttribute('aria-busy', 'true');
  const cells = nbdime.locator('.jp-Cell-diff');
  await expect(cells).toHaveCount(6);
  const changed = nbdime.locator('.jp-Cell-diff.jp-Diff-twoway');
  await expect(changed).toHaveCount(2);
  await expect(changed.nth(1)).toContainText('letters.csv');
  await expect(changed.nth(1)).toContainText('letters-2026.csv');
  await expect(nbdime.locator('.jp-Cell-diff.jp-Diff-deleted')).toContainText(
    'missing = letters[letters.gp.isna()]'
  );
  await expect(nbdime.locator('.jp-Cell-diff.jp-Diff-added')).toContainText(
    'Checked **weekly** by the ward.'
  );
  // Metadata: the tags of cell 2 and the notebook's title, each collapsed.
  const cellMeta = changed.nth(0).locator('.jp-Cellrow-metadata');
  await expect(cellMeta).toContainText('Metadata changed');
  await expect(
    cellMeta.locator('.jp-CollapsiblePanel-slider.jp-CollapsiblePanel-closed')
  ).toHaveCount(1);
  const nbMeta = nbdime.locator('.jp-Metadata-diff');
  await expect(nbMeta).toContainText('Notebook metadata changed');
  await expect(
    nbMeta.locator('.jp-CollapsiblePanel-slider.jp-CollapsiblePanel-closed')
  ).toHaveCount(1);
  // For the guide, as it first shows (toasts hidden: "Published …" would cover it).
  const page = tab.page();
  await page.addStyleTag({ content: '.Toastify { display: none; }' });
  await page.mouse.move(0, 0);
  await tab.screenshot({ path: path.join(SCREENSHOTS, picture) });
  await nbMeta.locator('.jp-CollapsiblePanel-header').click();
  await expect(
    nbMeta.locator('.jp-CollapsiblePanel-slider.jp-CollapsiblePanel-opened')
  ).toHaveCount(1);
  await expect(nbMeta).toContainText('Discharge checks (2026)');

  // Unchanged cells: hidden, shown on request, markdown rendered (and sanitised).
  const unchanged = nbdime.locator('.jp-Cell-diff.jp-Diff-unchanged');
  await expect(unchanged).toHaveCount(2);
  await expect(unchanged.first()).toBeHidden();
  await tab.locator('.jp-Atrium-GalleryDiff-hideUnchanged input').uncheck();
  await expect(unchanged.first()).toBeVisible();
  const markdown = unchanged.first().locator('.jp-RenderedMarkdown');
  // The heading's text, then JupyterLab's anchor link (¶).
  await expect(markdown.locator('h1')).toContainText('Discharge checks');
  await expect(markdown.locator('b')).toHaveText('bold');
  await expect(markdown.locator('b[onclick]')).toHaveCount(0);
  await tab.locator('.jp-Atrium-GalleryDiff-hideUnchanged input').check();
  await expect(unchanged.first()).toBeHidden();
}

test("View Diff and a version diff are nbdime's: cell-aware, rendered, metadata collapsed", async ({
  page,
  tmpPath,
  baseURL
}) => {
  const errors = collectErrors(page);
  // Every file Atrium's labextension serves, by URL: none may be fetched twice.
  const fetched: string[] = [];
  page.on('request', request => {
    if (request.url().includes('/extensions/jupyterlab-atrium/static/')) {
      fetched.push(request.url());
    }
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  // Unique per run: the server (and its gallery) may outlive one run of this spec.
  const title = `Discharge checks ${Date.now().toString(36)}`;
  const file = `${tmpPath}/discharge-checks.ipynb`;
  const tabLabel = 'discharge-checks.ipynb and the gallery';
  expect(
    await page.contents.uploadContent(
      JSON.stringify(
        plainNotebook([
          {
            type: 'markdown',
            source:
              '# Discharge checks\n\nA <b onclick="alert(1)">bold</b> reminder.'
          },
          { type: 'code', source: 'import pandas as pd' },
          { type: 'code', source: 'letters = pd.read_csv("letters.csv")' },
          { type: 'code', source: 'missing = letters[letters.gp.isna()]' },
          { type: 'code', source: 'len(missing)' }
        ])
      ),
      'text',
      file
    )
  ).toBe(true);
  await page.notebook.openByPath(file);
  await expect(publishButton(page)).toBeVisible();
  await publishFromToolbar(page, { title });
  await expectStatus(page, 'up-to-date');

  // Untouched: no difference, and nbdime is not even loaded for it.
  let tab = await viewDiff(page);
  await expect(tab).toContainText('The notebooks are the same.');
  await expect(tab.locator('.jp-Atrium-GalleryDiff-nbdime')).toHaveCount(0);
  await closeTab(page, tabLabel);

  // A changed source, a removed and an added cell, a cell's tags, the notebook's title.
  await setSource(page, 2, 'letters = pd.read_csv("letters-2026.csv")');
  await page.evaluate(() => {
    const model = (window as unknown as IEditShell).jupyterapp.shell
      .currentWidget.context.model;
    const notebook = model.sharedModel;
    notebook.deleteCell(3);
    notebook.insertCell(notebook.cells.length, {
      cell_type: 'markdown',
      source: 'Checked **weekly** by the ward.'
    });
    notebook.cells[1].setMetadata('tags', ['setup']);
    model.setMetadata('title', 'Discharge checks (2026)');
  });
  await expectStatus(page, 'local-changes');
  tab = await viewDiff(page);
  await expect(
    page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')
  ).toContainText(tabLabel);
  await expect(page.locator('.jp-Dialog')).toHaveCount(0);
  await expect(tab).toContainText('gallery version 1');
  await expectNbdimeDiff(tab, 'gallery-diff.png');
  await closeTab(page, tabLabel);

  // Published: the copy and the gallery agree again, and so does the diff.
  await clickPublishButton(page, 'atrium-gallery:update');
  const update = dialog(page, 'updateDialog');
  await update
    .locator('[data-testid=atrium-gallery-message]')
    .fill('Letters of 2026');
  await dialogButton(update, 'Publish new version').click();
  await expect(update).toHaveCount(0, { timeout: 15000 });
  await expectStatus(page, 'up-to-date');
  tab = await viewDiff(page);
  await expect(tab).toContainText('The notebooks are the same.');
  await closeTab(page, tabLabel);

  // The notebook's page: version 1 against the latest, the same diff, in the dark theme.
  await page.notebook.save();
  const link = linkOf(await readFile(page, baseURL!, file));
  expect(link?.version).toBe(2);
  const detail = await showGalleryPage(page, link!.id);
  await detail.locator('.jp-Atrium-Gallery-versionsButton').click();
  await detail.locator('.jp-Atrium-Gallery-diffLatest').first().click();
  tab = page.locator(tabSelector);
  await expect(tab).toBeVisible({ timeout: 20000 });
  await exec(page, 'apputils:change-theme', { theme: 'JupyterLab Dark' });
  await page.waitForSelector('body[data-jp-theme-light="false"]', {
    state: 'attached'
  });
  await expectNbdimeDiff(tab, 'gallery-diff-dark.png');

  const twice = fetched.filter((url, i) => fetched.indexOf(url) !== i);
  expect(twice).toEqual([]);
  expect(
    errors.filter(e => e.includes('Atrium') || e.includes('nbdime'))
  ).toEqual([]);
});

test('a diff tab comes back after a reload, fetched again from its ids, and not once its notebook is gone', async ({
  page,
  tmpPath
}) => {
  const errors = collectErrors(page);
  const saved = savedLayouts(page);
  const title = `Ward rounds ${Date.now().toString(36)}`;
  const file = `${tmpPath}/ward-rounds.ipynb`;
  expect(
    await page.contents.uploadContent(
      JSON.stringify(
        plainNotebook([
          { type: 'markdown', source: '# Ward rounds' },
          { type: 'code', source: 'beds = 12' },
          { type: 'code', source: 'print(beds)' }
        ])
      ),
      'text',
      file
    )
  ).toBe(true);
  await page.notebook.openByPath(file);
  await expect(publishButton(page)).toBeVisible();
  await publishFromToolbar(page, { title });
  await expectStatus(page, 'up-to-date');
  // Saved: after a reload the diff is made again from the file.
  await setSource(page, 1, 'beds = 14');
  await page.notebook.save();
  await expectStatus(page, 'local-changes');
  await exec(page, 'atrium-gallery:diff');

  const tab = page.locator('#jp-main-dock-panel .jp-Atrium-GalleryDiff-tab');
  const tabTitle = page.locator('#jp-main-dock-panel .lm-TabBar-tab', {
    hasText: 'ward-rounds.ipynb and the gallery'
  });
  const summary = '0 added, 0 removed, 1 changed, 2 unchanged';
  await expect(tab).toContainText(summary, { timeout: 20000 });

  await reloadWhenSaved(page, saved, [`atrium-gallery-diff:local:${file}`]);
  await expect(tabTitle).toHaveCount(1, { timeout: 60000 });
  await tabTitle.click();
  await expect(tab).toContainText(summary, { timeout: 30000 });

  // The notebook deleted: the tab is not restored, quietly.
  expect(await page.contents.deleteFile(file)).toBe(true);
  await reloadWhenSaved(page, saved, []);
  await page.evaluate(
    () =>
      (window as unknown as { jupyterapp: { restored: Promise<void> } })
        .jupyterapp.restored
  );
  await expect(tabTitle).toHaveCount(0);
  await expect(tab).toHaveCount(0);
  expect(errors.filter(e => e.includes('Atrium'))).toEqual([]);
});
