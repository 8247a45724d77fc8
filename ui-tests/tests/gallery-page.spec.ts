/**
 * A gallery notebook's page is a document in the main area (issue 12): one tab per
 * notebook, titled with the notebook's title, restored after a reload; the focus moves
 * into it and Escape hands it back to the result; Delete asks first.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

import {
  apiAs,
  galleryPage,
  galleryUrl,
  mainTabs,
  openPanel,
  plainNotebook,
  publishViaApi,
  SCREENSHOTS,
  searchInPanel,
  switchUser,
  waitForAnyTab
} from './gallery-helpers';
import { reloadWhenSaved, savedLayouts } from './helpers';

test.setTimeout(180000);

/** The gallery page's restorer namespace (src/gallery/page/args.ts). */
const PAGE_NAMESPACE = 'atrium-gallery-notebook';

test.use({
  waitForApplication: async ({}, use) => waitForAnyTab(use)
});

test('a result opens as one main-area page per notebook, is restored after a reload, and Delete asks first', async ({
  page,
  baseURL
}) => {
  const user = 'rota-keeper';
  // Unique per run: the server (and its gallery) may outlive one run of this spec.
  const title = `Ward rota ${Date.now().toString(36)}`;
  const api = await apiAs(baseURL!, user);
  const summary = await publishViaApi(
    api,
    baseURL!,
    { title, description: 'Who covers which shift.' },
    plainNotebook([
      { type: 'markdown', source: `# ${title}` },
      { type: 'code', source: 'SHIFTS = ["early", "late", "night"]' }
    ])
  );
  const notebookUrl = galleryUrl(baseURL!, `notebooks/${summary.id}`);
  await switchUser(page, baseURL!, user);
  const saved = savedLayouts(page);

  const panel = await openPanel(page);
  await searchInPanel(panel, title);
  const result = panel.locator(
    `.jp-Atrium-Gallery-result[data-id="${summary.id}"] .jp-Atrium-Gallery-resultTitle`
  );
  const tabs = mainTabs(page, title);
  const detail = galleryPage(page, summary.id);

  // Click: a main-area tab with the notebook's title, current, with the focus inside.
  await result.click();
  await expect(tabs).toHaveCount(1, { timeout: 20000 });
  await expect(tabs).toHaveClass(/lm-mod-current/);
  await expect(detail).toBeFocused();
  await expect(
    detail.locator('.jp-Atrium-Gallery-previewSection')
  ).toContainText('SHIFTS', { timeout: 20000 });
  // A code cell's lines sit on the cell's background: JupyterLab's colour for <code>
  // painted a patch behind every line (black in the dark theme; issue 12).
  const code = detail.locator('.jp-Atrium-Gallery-previewCell-code pre code');
  expect(
    await code.first().evaluate(node => getComputedStyle(node).backgroundColor)
  ).toBe('rgba(0, 0, 0, 0)');
  // The sidebar keeps its search and results.
  await expect(result).toBeVisible();

  // Escape: the focus goes back to the result; the page stays open.
  await page.keyboard.press('Escape');
  await expect(result).toBeFocused();
  await expect(tabs).toHaveCount(1);

  // Another document in front, then Enter on the result again: the same tab comes back.
  await page.evaluate(async () => {
    await (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string): Promise<unknown> } };
      }
    ).jupyterapp.commands.execute('launcher:create');
  });
  await expect(tabs).not.toHaveClass(/lm-mod-current/);
  await result.focus();
  await page.keyboard.press('Enter');
  await expect(tabs).toHaveClass(/lm-mod-current/);
  await expect(detail).toBeFocused();
  await expect(tabs).toHaveCount(1);
  await expect(page.locator('.jp-Atrium-GalleryPage')).toHaveCount(1);

  // Reload: the page is restored with its title and content, and the sidebar open with
  // it (once the debounced layout save holds both: see reloadWhenSaved).
  await reloadWhenSaved(page, saved, [
    `${PAGE_NAMESPACE}:${summary.id}`,
    'atrium-gallery-panel'
  ]);
  await expect(tabs).toHaveCount(1, { timeout: 60000 });
  await expect(panel).toBeVisible({ timeout: 30000 });
  await tabs.click();
  await expect(
    detail.locator('.jp-Atrium-Gallery-previewSection')
  ).toContainText('SHIFTS', { timeout: 30000 });

  // For the guide (`make screenshots`; otherwise written beside the test results).
  await page.mouse.move(600, 700);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'gallery-page.png') });

  // Delete sits folded under More actions, away from "Open a copy", and asks first.
  const remove = detail.locator('.jp-Atrium-Gallery-delete');
  await expect(remove).toBeHidden();
  await detail.locator('.jp-Atrium-Gallery-moreActionsSummary').click();
  await remove.click();
  const confirm = page.locator('.jp-Dialog', {
    hasText: 'Delete from the gallery?'
  });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(title);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  // Cancelled: the notebook and its page are still there.
  expect((await api.get(notebookUrl)).status()).toBe(200);
  await expect(tabs).toHaveCount(1);

  // Confirmed: deleted, and its page closes.
  await remove.click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(tabs).toHaveCount(0, { timeout: 20000 });
  expect((await api.get(notebookUrl)).status()).toBe(404);
  await api.dispose();
});
