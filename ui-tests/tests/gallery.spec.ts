/**
 * The gallery in a real JupyterLab: publish (stripped in the browser, checked by reading
 * the gallery copy back), sync status, update conflicts, search and open a copy, and the
 * change-request round trip between two users. Also writes the user guide's screenshots
 * (docs/images/gallery-*.png; pictures for the guide, not snapshot assertions).
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Locator, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

import { collectErrors } from './helpers';
import {
  apiAs,
  clickPublishButton,
  DEMO_GALLERY,
  dialog,
  dialogButton,
  exec,
  executedNotebook,
  expectStatus,
  galleryPage,
  galleryUrl,
  INotebook,
  ISummary,
  json,
  linkOf,
  openPanel,
  plainNotebook,
  publishButton,
  publishFromToolbar,
  publishViaApi,
  readFile,
  readLinkedFile,
  SCREENSHOTS,
  searchInPanel,
  searchViaApi,
  setSource,
  showGalleryPage,
  shutdownKernels,
  sourceOf,
  switchUser,
  syncIndicator,
  openFile,
  pictureLayout,
  waitForAnyTab,
  waitForSettledNotebook,
  WORKSPACE
} from './gallery-helpers';

test.setTimeout(180000);

test.use({
  waitForApplication: async ({}, use) => waitForAnyTab(use)
});

test.afterEach(async ({ request, baseURL }) =>
  shutdownKernels(request, baseURL!)
);

/** Wait until the notebook named `name` is the active tab (opening can be slow). */
async function expectActive(
  page: IJupyterLabPageFixture,
  name: string
): Promise<void> {
  await expect
    .poll(() => page.notebook.isActive(name), { timeout: 30000 })
    .toBe(true);
}

/** Close the gallery diff tab `diff` (a main-area tab) with its tab's close icon. */
async function closeDiffTab(page: Page, diff: Locator): Promise<void> {
  const id = await diff.getAttribute('id');
  await page
    .locator(`#jp-main-dock-panel .lm-TabBar-tab[data-id="${id}"]`)
    .locator('.lm-TabBar-tabCloseIcon')
    .click();
  await expect(diff).toHaveCount(0);
}

async function versionsOf(
  page: Page,
  baseURL: string,
  id: string
): Promise<Array<{ version: number; note: string; author: string }>> {
  const reply = await json<{
    items: Array<{ version: number; note: string; author: string }>;
  }>(await page.request.get(galleryUrl(baseURL, `notebooks/${id}/versions`)));
  return reply.items;
}

async function contentOf(
  page: Page,
  baseURL: string,
  id: string,
  version?: number
): Promise<INotebook> {
  const query = version === undefined ? '' : `?version=${version}`;
  return json<INotebook>(
    await page.request.get(
      galleryUrl(baseURL, `notebooks/${id}/content${query}`)
    )
  );
}

async function upload(
  page: IJupyterLabPageFixture,
  filePath: string,
  notebook: INotebook
): Promise<void> {
  expect(
    await page.contents.uploadContent(
      JSON.stringify(notebook),
      'text',
      filePath
    )
  ).toBe(true);
}

/** Remove copies an earlier run (on a reused server) left in the workspace folder. */
async function removeCopies(
  page: IJupyterLabPageFixture,
  names: string[]
): Promise<void> {
  for (const name of names) {
    const filePath = `${WORKSPACE}/${name}`;
    if (await page.contents.fileExists(filePath)) {
      await page.contents.deleteFile(filePath);
    }
  }
}

/**
 * The demo gallery's notebooks under their owners' names, so the panel has something
 * real-looking to show (published once per server).
 */
async function seedDemoGallery(baseURL: string): Promise<void> {
  const index = JSON.parse(
    fs.readFileSync(path.join(DEMO_GALLERY, 'index.json'), 'utf-8')
  ) as Array<{
    file: string;
    title: string;
    owner: string;
    description: string;
    tags: string[];
  }>;
  for (const entry of index) {
    const api = await apiAs(baseURL, entry.owner);
    const existing = await searchViaApi(api, baseURL, {
      owner: entry.owner,
      perPage: '100'
    });
    if (!existing.some(item => item.title === entry.title)) {
      const notebook = JSON.parse(
        fs.readFileSync(path.join(DEMO_GALLERY, entry.file), 'utf-8')
      ) as INotebook;
      await publishViaApi(
        api,
        baseURL,
        {
          title: entry.title,
          description: entry.description,
          tags: entry.tags
        },
        notebook
      );
    }
    await api.dispose();
  }
}

test.describe('gallery in JupyterLab', () => {
  test('publish removes outputs, images and widget state; the dialog says what and warns about secrets', async ({
    page,
    baseURL,
    tmpPath
  }) => {
    const errors = collectErrors(page);
    // Room for the whole dialog in the guide's picture.
    await page.setViewportSize({ width: 1280, height: 1100 });
    const file = `${tmpPath}/ward-7-admissions.ipynb`;
    await upload(page, file, executedNotebook());
    await page.notebook.openByPath(file);
    await expect(publishButton(page)).toBeVisible();
    // Not linked yet: no sync indicator.
    await expect(
      page.locator('.jp-NotebookPanel:visible .jp-Atrium-Gallery-syncIndicator')
    ).toHaveAttribute('data-status', 'unlinked');

    await clickPublishButton(page, 'atrium-gallery:publish');
    const publish = dialog(page, 'publishDialog');
    await expect(publish).toBeVisible();
    const removed = publish.locator('[data-testid=atrium-gallery-removed]');
    // stream + result + image + widget view; three executed cells, each with timing.
    await expect(removed.locator('li[data-kind=outputs]')).toHaveText(
      '4 outputs'
    );
    await expect(removed.locator('li[data-kind=executionCounts]')).toHaveText(
      '3 execution counts'
    );
    await expect(removed.locator('li[data-kind=widgetState]')).toContainText(
      'widget state'
    );
    await expect(removed.locator('li[data-kind=timingMetadata]')).toHaveText(
      '3 execution timing records'
    );
    const secrets = publish.locator('[data-testid=atrium-gallery-secrets]');
    await expect(secrets).toContainText('1 likely secret in the code');
    await expect(secrets).toContainText('Cell 2, line 2: password in a URL');
    // The warning shows where, never the password itself.
    await expect(secrets).not.toContainText('Tr0ub4dor-3');

    await publish
      .locator('[data-testid=atrium-gallery-title]')
      .fill('Ward 7 admissions');
    await publish
      .locator('[data-testid=atrium-gallery-description]')
      .fill('Weekly admissions to ward 7 from the nightly extract.');
    await publish
      .locator('[data-testid=atrium-gallery-tags]')
      .fill('admissions, reporting');
    await page.mouse.move(0, 0);
    // The whole form fits (JupyterLab would cap the dialog at 500 px and scroll the
    // rest): the likely-secrets warning is in view without scrolling.
    const content = publish.locator('.jp-Dialog-content');
    await expect(secrets).toBeInViewport({ ratio: 1 });
    expect(
      await content.evaluate(node => node.scrollHeight <= node.clientHeight)
    ).toBe(true);
    await content.screenshot({
      path: path.join(SCREENSHOTS, 'gallery-publish-dialog.png')
    });

    // Not sent while the likely secret is not acknowledged.
    await dialogButton(publish, 'Publish').click();
    await expect(
      publish.locator('[data-testid=atrium-gallery-form-error]')
    ).toContainText('likely secrets');
    await expect(publish).toBeVisible();
    await publish.locator('.jp-Atrium-Gallery-acknowledge input').check();
    await dialogButton(publish, 'Publish').click();
    await expect(publish).toHaveCount(0, { timeout: 15000 });

    await expectStatus(page, 'up-to-date');
    await expect(publishButton(page)).toHaveAttribute(
      'data-action',
      'atrium-gallery:update'
    );

    // The link is saved in the local file, which keeps its outputs.
    const local = await readLinkedFile(page, baseURL!, file, {
      version: 1,
      role: 'owner'
    });
    const link = linkOf(local);
    expect(local.cells[1].outputs).toHaveLength(1);
    expect(local.metadata.widgets).toBeDefined();

    // The gallery copy, read back through the API, has none of it.
    const summary = await json<ISummary>(
      await page.request.get(galleryUrl(baseURL!, `notebooks/${link!.id}`))
    );
    expect(summary).toMatchObject({
      title: 'Ward 7 admissions',
      version: 1,
      contentHash: link!.contentHash
    });
    const reply = await page.request.get(
      galleryUrl(baseURL!, `notebooks/${link!.id}/content`)
    );
    expect(reply.status()).toBe(200);
    expect(reply.headers()['etag']).toBe('"v1"');
    const raw = await reply.text();
    const copy = JSON.parse(raw) as INotebook;
    expect(copy.cells.map(cell => cell.cell_type)).toEqual([
      'markdown',
      'code',
      'code',
      'code'
    ]);
    for (const cell of copy.cells.filter(c => c.cell_type === 'code')) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
      expect(cell.metadata).toEqual({});
    }
    expect(copy.metadata.widgets).toBeUndefined();
    expect(copy.metadata.atrium).toBeUndefined();
    expect(raw).not.toContain('widget-state');
    expect(raw).not.toContain('image/png');
    expect(raw).not.toContain('1284 admissions');
    // Sources travel as written (the warning is a warning, not an edit).
    expect(sourceOf(copy.cells[1])).toContain('create_engine');
    expect(errors).toEqual([]);
  });

  test('sync status follows edits; a stale update opens the conflict dialog and each choice works', async ({
    page,
    baseURL,
    tmpPath
  }) => {
    const title = 'Bed occupancy by ward';
    await removeCopies(page, [`${title}.ipynb`]);
    const file = `${tmpPath}/bed-occupancy.ipynb`;
    await upload(
      page,
      file,
      plainNotebook([
        {
          type: 'markdown',
          source: '# Bed occupancy\n\nOccupied beds per ward.'
        },
        { type: 'code', source: 'occupancy = beds.occupied / beds.total' }
      ])
    );
    await page.notebook.openByPath(file);
    await expect(publishButton(page)).toBeVisible();
    await publishFromToolbar(page, { title, tags: 'capacity' });
    await expectStatus(page, 'up-to-date');
    const link = linkOf(await readLinkedFile(page, baseURL!, file))!;

    // A local edit, saved: local changes.
    await setSource(
      page,
      1,
      'occupancy = beds.occupied / beds.total\noccupancy.round(3)'
    );
    await page.notebook.save();
    await expectStatus(page, 'local-changes');

    // Meanwhile the gallery moves on (the owner, from another session).
    const moved = await page.request.put(
      galleryUrl(baseURL!, `notebooks/${link.id}`),
      {
        headers: { 'If-Match': '"v1"' },
        data: {
          notebook: plainNotebook([
            {
              type: 'markdown',
              source: '# Bed occupancy\n\nOccupied beds per ward, weekly.'
            },
            { type: 'code', source: 'occupancy = beds.occupied / beds.staffed' }
          ]),
          note: 'Count staffed beds only'
        }
      }
    );
    expect(moved.status()).toBe(200);
    await exec(page, 'atrium-gallery:check');
    await expectStatus(page, 'diverged');

    const startUpdate = async () => {
      await clickPublishButton(page, 'atrium-gallery:update');
      const update = dialog(page, 'updateDialog');
      await expect(update).toContainText('based on version 1');
      await update
        .locator('[data-testid=atrium-gallery-message]')
        .fill('Round to three decimals');
      await dialogButton(update, 'Publish new version').click();
      const conflict = dialog(page, 'conflictDialog');
      await expect(conflict).toBeVisible({ timeout: 15000 });
      await expect(update).toHaveCount(0);
      return conflict;
    };

    // Cancel: nothing is written.
    let conflict = await startUpdate();
    await expect(conflict).toContainText(
      'based on version 1 of "Bed occupancy by ward", but the gallery now has version 2'
    );
    await page.mouse.move(0, 0);
    await conflict.locator('.jp-Dialog-content').screenshot({
      path: path.join(SCREENSHOTS, 'gallery-conflict-dialog.png')
    });
    await dialogButton(conflict, 'Cancel').click();
    await expect(conflict).toHaveCount(0);
    expect((await versionsOf(page, baseURL!, link.id)).length).toBe(2);
    expect(
      sourceOf((await contentOf(page, baseURL!, link.id)).cells[1])
    ).toContain('beds.staffed');
    await expectStatus(page, 'diverged');

    // View diff, then back to the choice; open the gallery version as a copy.
    conflict = await startUpdate();
    await dialogButton(conflict, 'View diff').click();
    const diff = page.locator('.jp-Atrium-GalleryDiff-tab');
    await expect(diff).toContainText('gallery version 2');
    await expect(diff).toContainText('occupancy.round(3)');
    await expect(diff).toContainText('beds.staffed');
    await expect(conflict).toHaveCount(0);
    await closeDiffTab(page, diff);
    conflict = dialog(page, 'conflictDialog');
    await expect(conflict).toBeVisible();
    await dialogButton(conflict, 'Open the gallery version').click();
    await expect(conflict).toHaveCount(0);
    const copyPath = `${WORKSPACE}/${title}.ipynb`;
    await expect
      .poll(() => page.contents.fileExists(copyPath), { timeout: 20000 })
      .toBe(true);
    await expect(page.locator('.jp-NotebookPanel:visible')).toHaveCount(1);
    await expectActive(page, `${title}.ipynb`);
    const copy = await readFile(page, baseURL!, copyPath);
    expect(linkOf(copy)).toMatchObject({
      id: link.id,
      version: 2,
      role: 'owner'
    });
    expect((await versionsOf(page, baseURL!, link.id)).length).toBe(2);

    // Overwrite: a new version with the local content, the link moves to it.
    await page.notebook.activate('bed-occupancy.ipynb');
    conflict = await startUpdate();
    await dialogButton(conflict, 'Overwrite').click();
    await expect(conflict).toHaveCount(0);
    await expectStatus(page, 'up-to-date');
    const versions = await versionsOf(page, baseURL!, link.id);
    expect(versions.map(v => v.version)).toEqual([3, 2, 1]);
    expect(versions[0].note).toBe('Round to three decimals');
    expect(
      sourceOf((await contentOf(page, baseURL!, link.id, 3)).cells[1])
    ).toContain('occupancy.round(3)');
    await readLinkedFile(page, baseURL!, file, { id: link.id, version: 3 });
  });

  test('search finds a word that is only in code; "Open a copy" never overwrites', async ({
    page,
    baseURL
  }) => {
    const title = 'Survey response weighting';
    await removeCopies(page, [`${title}.ipynb`, `${title} (1).ipynb`]);
    await seedDemoGallery(baseURL!);
    const lena = await apiAs(baseURL!, 'lena');
    let summary = (
      await searchViaApi(lena, baseURL!, { owner: 'lena', perPage: '100' })
    ).find(item => item.title === title);
    if (!summary) {
      summary = await publishViaApi(
        lena,
        baseURL!,
        {
          title,
          description: 'Weights survey answers to the population with pandas.',
          tags: ['survey', 'pandas']
        },
        plainNotebook([
          { type: 'markdown', source: `# ${title}` },
          {
            type: 'code',
            source:
              'import pandas as pd\n' +
              'survey = pd.read_csv("survey.csv")\n' +
              'bands = age_bands(survey, width="quinquennial")'
          }
        ])
      );
    }
    await lena.dispose();

    const panel = await openPanel(page);
    await pictureLayout(page);
    await searchInPanel(panel, 'quinquennial');
    const results = panel.locator('.jp-Atrium-Gallery-result');
    await expect(results).toHaveCount(1);
    const result = panel.locator(
      `.jp-Atrium-Gallery-result[data-id="${summary.id}"]`
    );
    await expect(result.locator('.jp-Atrium-Gallery-resultTitle')).toHaveText(
      title
    );
    await expect(result.locator('.jp-Atrium-Gallery-snippet')).toContainText(
      'quinquennial'
    );

    // The panel with results, for the guide.
    await searchInPanel(panel, 'pandas');
    await expect(results.first()).toBeVisible();
    await expect
      .poll(() => results.count(), { timeout: 10000 })
      .toBeGreaterThanOrEqual(3);
    await page.mouse.move(600, 600);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'gallery-panel.png'),
      clip: { x: 0, y: 0, width: 900, height: 700 }
    });

    // Its page, then open a copy: written into the workspace folder, linked, opened.
    await result.locator('.jp-Atrium-Gallery-resultTitle').click();
    const detail = galleryPage(page, summary.id);
    await expect(
      detail.locator('.jp-Atrium-Gallery-previewSection')
    ).toContainText('quinquennial');
    await detail.locator('.jp-Atrium-Gallery-openCopy').click();
    const copyPath = `${WORKSPACE}/${title}.ipynb`;
    await expect
      .poll(() => page.contents.fileExists(copyPath), { timeout: 20000 })
      .toBe(true);
    await expectActive(page, `${title}.ipynb`);
    const copy = await readFile(page, baseURL!, copyPath);
    expect(linkOf(copy)).toMatchObject({
      id: summary.id,
      version: 1,
      contentHash: summary.contentHash,
      role: 'copy'
    });
    await expectStatus(page, 'up-to-date');
    await expect(publishButton(page)).toHaveAttribute(
      'data-action',
      'atrium-gallery:change-request'
    );
    const before = await page.contents.getContentMetadata(copyPath);

    // Again: the name is taken; the dialog offers a new name, the first file stays.
    await showGalleryPage(page, summary.id);
    await detail.locator('.jp-Atrium-Gallery-openCopy').click();
    const exists = page.locator('.jp-Dialog', {
      hasText: 'File already exists'
    });
    await expect(exists).toBeVisible();
    const saveAs = exists.locator('.jp-Atrium-Gallery-conflictSaveAs');
    await expect(saveAs).toHaveText(`Save as ${title} (1).ipynb`);
    await saveAs.click();
    const second = `${WORKSPACE}/${title} (1).ipynb`;
    await expect
      .poll(() => page.contents.fileExists(second), { timeout: 20000 })
      .toBe(true);
    await expect
      .poll(() => page.notebook.isActive(`${title} (1).ipynb`))
      .toBe(true);
    const after = await page.contents.getContentMetadata(copyPath);
    expect(after?.last_modified).toBe(before?.last_modified);
    expect(linkOf(await readFile(page, baseURL!, second))?.id).toBe(summary.id);
  });

  test('change request round trip: B suggests, A sees the inbox, views the diff, accepts; B sees version 2', async ({
    page,
    baseURL
  }) => {
    const title = 'Discharge letter checklist';
    const copyName = `${title}.ipynb`;
    await removeCopies(page, [copyName]);

    // A (alice) owns the notebook.
    const alice = await apiAs(baseURL!, 'alice');
    const summary = await publishViaApi(
      alice,
      baseURL!,
      {
        title,
        description: 'Checks discharge letters for the fields the GP needs.',
        tags: ['quality']
      },
      plainNotebook([
        { type: 'markdown', source: `# ${title}` },
        {
          type: 'code',
          source: 'REQUIRED = ["diagnosis", "medication", "follow_up"]'
        }
      ])
    );
    await alice.dispose();

    // B (bob) finds it, opens a copy, edits it and suggests the change.
    await switchUser(page, baseURL!, 'bob');
    let panel = await openPanel(page);
    await searchInPanel(panel, 'discharge letter checklist');
    const result = panel.locator(
      `.jp-Atrium-Gallery-result[data-id="${summary.id}"]`
    );
    await result.locator('.jp-Atrium-Gallery-resultTitle').click();
    await galleryPage(page, summary.id)
      .locator('.jp-Atrium-Gallery-openCopy')
      .click();
    await expectActive(page, copyName);
    await expectStatus(page, 'up-to-date');
    await setSource(
      page,
      1,
      'REQUIRED = ["diagnosis", "medication", "follow_up", "allergies"]'
    );
    await page.notebook.save();
    await expectStatus(page, 'local-changes');
    await clickPublishButton(page, 'atrium-gallery:change-request');
    const request = dialog(page, 'changeRequestDialog');
    await expect(request).toContainText('alice');
    await request
      .locator('[data-testid=atrium-gallery-message]')
      .fill('Allergies belong on every discharge letter.');
    await dialogButton(request, 'Send change request').click();
    await expect(request).toHaveCount(0, { timeout: 15000 });

    // A sees it in the inbox, views the diff and accepts.
    await switchUser(page, baseURL!, 'alice');
    panel = await openPanel(page);
    await pictureLayout(page);
    const inboxTab = panel.locator('.jp-Atrium-Gallery-tab-inbox');
    await expect(inboxTab.locator('.jp-Atrium-Gallery-count-badge')).toHaveText(
      /^[1-9]\d*$/
    );
    await inboxTab.click();
    const item = panel
      .locator('.jp-Atrium-Gallery-request')
      .filter({ hasText: title });
    await expect(item).toHaveAttribute('data-status', 'open');
    await expect(item).toContainText('from bob');
    await expect(item).toContainText(
      'Allergies belong on every discharge letter.'
    );
    await page.mouse.move(600, 600);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'gallery-change-requests.png'),
      clip: { x: 0, y: 0, width: 900, height: 600 }
    });
    await item.locator('.jp-Atrium-Gallery-requestDiff').click();
    const diff = page.locator('.jp-Atrium-GalleryDiff-tab');
    await expect(diff).toContainText('Proposed by bob');
    await expect(diff).toContainText('"allergies"');
    await closeDiffTab(page, diff);
    await item.locator('.jp-Atrium-Gallery-accept').click();
    await item.locator('.jp-Atrium-Gallery-confirm').click();
    await expect(panel.locator('.jp-Atrium-Gallery-incoming')).toContainText(
      `Accepted: "${title}" is now at version 2.`
    );
    const versions = await versionsOf(page, baseURL!, summary.id);
    expect(versions[0]).toMatchObject({
      version: 2,
      author: 'bob',
      note: 'Allergies belong on every discharge letter.'
    });

    // B sees the outcome and the new version.
    await switchUser(page, baseURL!, 'bob');
    panel = await openPanel(page);
    await panel.locator('.jp-Atrium-Gallery-tab-sent').click();
    const sent = panel
      .locator('.jp-Atrium-Gallery-request')
      .filter({ hasText: title });
    await expect(sent).toHaveAttribute('data-status', 'accepted');
    await expect(sent).toContainText('Accepted by alice as version 2.');
    await openFile(page, `${WORKSPACE}/${copyName}`);
    await expectActive(page, copyName);
    await exec(page, 'atrium-gallery:check');
    // The copy is based on version 1; the gallery now has version 2.
    await expect(
      page.locator('.jp-NotebookPanel:visible .jp-Atrium-Gallery-syncIndicator')
    ).toHaveAttribute('data-status', /^(behind|diverged)$/);
    await panel.locator('.jp-Atrium-Gallery-tab-browse').click();
    await searchInPanel(panel, 'discharge letter checklist');
    await expect(
      panel.locator(
        `.jp-Atrium-Gallery-result[data-id="${summary.id}"] .jp-Atrium-Gallery-version`
      )
    ).toHaveText('v2');
  });
});

test.describe('gallery: the sync status of a copy', () => {
  test('an untouched copy of a demo notebook is up to date; an edit makes it "Local changes"', async ({
    page,
    baseURL
  }) => {
    // The demo notebooks were written by nbformat: kernelspec "Python 3", sources as lists
    // of lines. JupyterLab rewrites the first and holds the second as one string (issue 12).
    const title = 'Plotting survey results';
    await removeCopies(page, [`${title}.ipynb`]);
    await seedDemoGallery(baseURL!);
    const panel = await openPanel(page);
    await searchInPanel(panel, title);
    const result = panel
      .locator('.jp-Atrium-Gallery-result', { hasText: title })
      .first();
    await result.locator('.jp-Atrium-Gallery-resultTitle').click();
    const id = await result.getAttribute('data-id');
    await galleryPage(page, id!).locator('.jp-Atrium-Gallery-openCopy').click();
    await expectActive(page, `${title}.ipynb`);

    await waitForSettledNotebook(page);
    await expect(syncIndicator(page)).toHaveAttribute(
      'data-status',
      'up-to-date'
    );
    // Nothing to suggest yet.
    await expect(
      publishButton(page).locator('.jp-ToolbarButtonComponent')
    ).toHaveAttribute('aria-disabled', 'true');

    await setSource(page, 1, 'import csv  # edited');
    await expectStatus(page, 'local-changes');
    await expect(
      publishButton(page).locator('.jp-ToolbarButtonComponent')
    ).toHaveAttribute('aria-disabled', 'false');
  });
});

test.describe('gallery: keyboard', () => {
  test("the results are one Tab stop; arrows move, Enter opens the notebook's page, Escape comes back", async ({
    page,
    baseURL
  }) => {
    await seedDemoGallery(baseURL!);
    const panel = await openPanel(page);
    // The whole gallery, newest first: no search whose debounced reply could replace the
    // list half-way through the test.
    const titles = panel.locator('.jp-Atrium-Gallery-resultTitle');
    await expect
      .poll(() => titles.count(), { timeout: 20000 })
      .toBeGreaterThanOrEqual(3);
    await expect(panel.locator('.jp-Atrium-Gallery-loading')).toHaveCount(0);
    const list = panel.locator('.jp-Atrium-Gallery-results');

    await titles.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(titles.nth(1)).toBeFocused();
    // JupyterLab's focus ring and text size, from its theme variables.
    const ring = await titles
      .nth(1)
      .evaluate(node => getComputedStyle(node).outlineWidth);
    const themeRing = await page.evaluate(() =>
      getComputedStyle(document.body)
        .getPropertyValue('--jp-focus-outline-width')
        .trim()
    );
    expect(ring).toBe(themeRing);
    const metaSize = await panel
      .locator('.jp-Atrium-Gallery-meta')
      .first()
      .evaluate(node => getComputedStyle(node).fontSize);
    const uiSize = await page.evaluate(() =>
      getComputedStyle(document.body)
        .getPropertyValue('--jp-ui-font-size1')
        .trim()
    );
    expect(metaSize).toBe(uiSize);
    // The search field's placeholder is not clipped in the sidebar's default width.
    const [placeholderWidth, fieldWidth] = await panel
      .locator('.jp-Atrium-Gallery-searchInput')
      .evaluate((node: HTMLInputElement) => {
        const style = getComputedStyle(node);
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = style.font;
        return [
          context.measureText(node.placeholder).width,
          node.clientWidth -
            parseFloat(style.paddingLeft) -
            parseFloat(style.paddingRight)
        ];
      });
    expect(placeholderWidth).toBeGreaterThan(0);
    expect(placeholderWidth).toBeLessThanOrEqual(fieldWidth);

    await page.keyboard.press('End');
    await expect(titles.last()).toBeFocused();
    await page.keyboard.press('Home');
    await expect(titles.first()).toBeFocused();
    await page.keyboard.press('ArrowDown');

    // Tab leaves the list in one step; Shift+Tab comes back to the same result.
    await page.keyboard.press('Tab');
    expect(
      await list.evaluate(node => node.contains(document.activeElement))
    ).toBe(false);
    await page.keyboard.press('Shift+Tab');
    await expect(titles.nth(1)).toBeFocused();

    const id = await titles
      .nth(1)
      .evaluate(node => node.closest('[data-id]')?.getAttribute('data-id'));
    await page.keyboard.press('Enter');
    // The page opens in the main area and takes the focus; Escape hands it back.
    const detail = galleryPage(page, id!);
    await expect(detail).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(titles.nth(1)).toBeFocused();
    await expect(detail).toHaveCount(1);
  });
});

test.describe('gallery: the sidebar', () => {
  test('the filters open from one toggle beside the search, labels in one column beside controls of one width', async ({
    page,
    baseURL
  }) => {
    await seedDemoGallery(baseURL!);
    const panel = await openPanel(page);
    const filters = panel.locator('.jp-Atrium-Gallery-filters');
    // Closed at first: the sidebar is for the search and its results.
    await expect(filters).toBeHidden();
    await panel.locator('.jp-Atrium-Gallery-filterToggle').click();
    await expect(filters).toBeVisible();

    // Tag, Owner, Health, Sort by: labels left-aligned in one column, each beside its
    // control (not centred above it), the controls one column of one width (issue 12).
    const rows = await filters
      .locator('.jp-Atrium-Gallery-filterField')
      .evaluateAll(fields =>
        fields.map(field => {
          const [label, control] = Array.from(field.children).map(child =>
            child.getBoundingClientRect()
          );
          return {
            labelLeft: Math.round(label.left),
            labelRight: label.right,
            labelMiddle: (label.top + label.bottom) / 2,
            left: Math.round(control.left),
            width: Math.round(control.width),
            top: control.top,
            bottom: control.bottom
          };
        })
      );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map(row => row.labelLeft)).size).toBe(1);
    expect(new Set(rows.map(row => row.left)).size).toBe(1);
    expect(new Set(rows.map(row => row.width)).size).toBe(1);
    for (const row of rows) {
      expect(row.labelRight).toBeLessThanOrEqual(row.left);
      expect(row.labelMiddle).toBeGreaterThan(row.top);
      expect(row.labelMiddle).toBeLessThan(row.bottom);
    }
  });
});
