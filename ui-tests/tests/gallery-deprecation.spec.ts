/**
 * Deprecating a gallery notebook (issue 17): its owner deprecates it from its page with a
 * reason, an alternative found by typing, and the freeze; the page shows the banner with
 * the alternative as a link to its page; the server refuses the frozen content to readers;
 * a search that only finds it says so and offers to show it (nbgallery showed nothing,
 * its #487); undeprecating restores it everywhere.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  apiAs,
  galleryPage,
  galleryUrl,
  mainTabs,
  openPanel,
  plainNotebook,
  publishViaApi,
  searchInPanel,
  searchViaApi,
  showGalleryPage,
  switchUser,
  waitForAnyTab
} from './gallery-helpers';

test.setTimeout(180000);

test.use({
  waitForApplication: async ({}, use) => waitForAnyTab(use)
});

const OWNER = 'deprecation-spec-owner';
const READER = 'deprecation-spec-reader';

test('deprecate with an alternative, see the banner, find it only on request, undeprecate', async ({
  page,
  baseURL
}) => {
  // Unique per run: the server (and its gallery) may outlive one run of this spec.
  const run = Date.now().toString(36);
  const word = `ledgerold${run}`;
  const oldTitle = `Ward ledger (old) ${run}`;
  const newTitle = `Ward ledger ${run}`;
  const owner = await apiAs(baseURL!, OWNER);
  const old = await publishViaApi(
    owner,
    baseURL!,
    { title: oldTitle, description: 'From the retired export.' },
    plainNotebook([
      { type: 'markdown', source: `# ${oldTitle}` },
      { type: 'code', source: `${word} = "retired export"` }
    ])
  );
  const replacement = await publishViaApi(
    owner,
    baseURL!,
    { title: newTitle, description: 'From the nightly extract.' },
    plainNotebook([
      { type: 'markdown', source: `# ${newTitle}` },
      { type: 'code', source: 'SOURCE = "nightly extract"' }
    ])
  );
  await switchUser(page, baseURL!, OWNER);

  // Deprecate from the page: reason, an alternative found by typing, the freeze.
  await showGalleryPage(page, old.id);
  const oldPage = page.locator('.jp-Atrium-GalleryPage', {
    has: page.locator(`.jp-Atrium-Gallery-detail[data-id="${old.id}"]`)
  });
  await oldPage.locator('.jp-Atrium-GalleryDeprecated-open').click();
  const dialog = page.locator('.jp-Atrium-GalleryDeprecated-dialog');
  await expect(dialog).toBeVisible();
  await dialog
    .locator('.jp-Atrium-GalleryDeprecated-reasonInput')
    .fill('The weekly export was retired.');
  await dialog.locator('.jp-Atrium-GalleryDeprecated-find').fill(newTitle);
  const pick = dialog.locator('.jp-Atrium-GalleryDeprecated-pick', {
    hasText: newTitle
  });
  await expect(pick).toHaveCount(1, { timeout: 20000 });
  // The notebook itself is never offered as its own alternative (nbgallery #958).
  await expect(
    dialog.locator('.jp-Atrium-GalleryDeprecated-pick', { hasText: oldTitle })
  ).toHaveCount(0);
  await pick.click();
  await expect(
    dialog.locator('.jp-Atrium-GalleryDeprecated-chosen')
  ).toContainText(newTitle);
  await dialog.locator('.jp-Atrium-GalleryDeprecated-freeze input').check();
  await dialog.locator('.jp-Atrium-GalleryDeprecated-save').click();
  await expect(dialog).toHaveCount(0, { timeout: 20000 });

  // The banner: deprecated, use … instead, frozen.
  const banner = oldPage.locator('.jp-Atrium-GalleryDeprecated-banner');
  await expect(banner).toContainText('Deprecated.', { timeout: 20000 });
  await expect(banner).toContainText(`Use ${newTitle} instead.`);
  await expect(banner).toContainText('The weekly export was retired.');
  await expect(banner).toContainText('Frozen');

  // The freeze is the server's: a reader gets no content (423), not just no button.
  const reader = await apiAs(baseURL!, READER);
  const content = await reader.get(
    galleryUrl(baseURL!, `notebooks/${old.id}/content`)
  );
  expect(content.status()).toBe(423);
  expect((await content.json()).reason).toBe('frozen');

  // The alternative is a link to its page.
  await banner
    .locator('.jp-Atrium-GalleryDeprecated-alternative', { hasText: newTitle })
    .click();
  await expect(mainTabs(page, newTitle)).toHaveCount(1, { timeout: 20000 });
  await expect(galleryPage(page, replacement.id)).toBeVisible();

  // Search leaves it out, says it is there, and shows it on request.
  const panel = await openPanel(page);
  await searchInPanel(panel, word);
  const search = panel.locator('.jp-Atrium-Gallery-search');
  await expect(search.locator('.jp-Atrium-Gallery-empty')).toContainText(
    'No notebooks match your search.'
  );
  const show = search.locator('.jp-Atrium-GalleryDeprecated-show');
  await expect(show).toHaveText('Show 1 deprecated notebook');
  await show.click();
  const result = panel.locator(
    `.jp-Atrium-Gallery-result[data-id="${old.id}"]`
  );
  await expect(result).toBeVisible({ timeout: 20000 });
  await expect(
    result.locator('.jp-Atrium-GalleryDeprecated-badge')
  ).toContainText('deprecated');

  // Undeprecate: the banner goes, the search finds it again, the content is readable.
  await showGalleryPage(page, old.id);
  await oldPage.locator('.jp-Atrium-GalleryDeprecated-undo').click();
  await expect(banner).toHaveCount(0, { timeout: 20000 });
  await expect(oldPage.locator('.jp-Atrium-GalleryDeprecated-open')).toHaveText(
    'Deprecate…'
  );
  const found = await searchViaApi(reader, baseURL!, { q: word });
  expect(found.map(item => item.id)).toEqual([old.id]);
  const again = await reader.get(
    galleryUrl(baseURL!, `notebooks/${old.id}/content`)
  );
  expect(again.status()).toBe(200);
});
