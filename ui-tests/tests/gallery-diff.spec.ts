/**
 * The gallery diff is a main-area tab (issue 12): a local copy with one changed cell,
 * View Diff with Gallery → a tab beside the notebook, the changed cell side by side
 * (gallery left, the local notebook right), the unchanged cells collapsed.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  clickPublishButton,
  dialog,
  dialogButton,
  exec,
  expectStatus,
  plainNotebook,
  publishButton,
  setSource,
  shutdownKernels
} from './gallery-helpers';
import { collectErrors } from './helpers';

test.setTimeout(180000);

test.afterEach(async ({ request, baseURL }) =>
  shutdownKernels(request, baseURL!)
);

test('View Diff opens a main-area tab: the changed cell side by side, unchanged cells collapsed', async ({
  page,
  tmpPath
}) => {
  const errors = collectErrors(page);
  // Unique per run: the server (and its gallery) may outlive one run of this spec.
  const title = `Discharge checks ${Date.now().toString(36)}`;
  const file = `${tmpPath}/discharge-checks.ipynb`;
  expect(
    await page.contents.uploadContent(
      JSON.stringify(
        plainNotebook([
          { type: 'markdown', source: '# Discharge checks' },
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
  await clickPublishButton(page, 'atrium-gallery:publish');
  const publish = dialog(page, 'publishDialog');
  await publish.locator('[data-testid=atrium-gallery-title]').fill(title);
  await dialogButton(publish, 'Publish').click();
  await expect(publish).toHaveCount(0, { timeout: 15000 });
  await expectStatus(page, 'up-to-date');

  await setSource(page, 2, 'letters = pd.read_csv("letters-2026.csv")');
  await expectStatus(page, 'local-changes');
  // Not awaited first: before the tab, the command waited for a modal dialog to close.
  const shown = exec(page, 'atrium-gallery:diff');

  // A main-area tab, current, beside the notebook; no dialog.
  const tab = page.locator('#jp-main-dock-panel .jp-Atrium-GalleryDiff-tab');
  await expect(tab).toBeVisible({ timeout: 20000 });
  await expect(
    page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')
  ).toContainText('discharge-checks.ipynb and the gallery');
  await expect(page.locator('.jp-Dialog')).toHaveCount(0);
  await shown;
  await expect(tab).toContainText('0 added, 0 removed, 1 changed, 4 unchanged');

  // The changed cell, side by side: the gallery's line left, the local one right.
  const cells = tab.locator('.jp-Atrium-GalleryDiff-cell');
  await expect(cells).toHaveCount(1);
  const removed = cells.locator('.jp-mod-before.jp-mod-removed');
  const added = cells.locator('.jp-mod-after.jp-mod-added');
  await expect(removed).toHaveText('letters = pd.read_csv("letters.csv")');
  await expect(added).toHaveText('letters = pd.read_csv("letters-2026.csv")');
  const [left, right] = [
    await removed.boundingBox(),
    await added.boundingBox()
  ];
  expect(left && right).toBeTruthy();
  expect(left!.x + left!.width).toBeLessThanOrEqual(right!.x);
  expect(Math.abs(left!.y - right!.y)).toBeLessThan(2);

  // The unchanged cells: collapsed, one button per run, shown on request.
  const toggles = tab.locator('.jp-Atrium-GalleryDiff-toggle');
  await expect(toggles).toHaveText([
    'Show 2 unchanged cells',
    'Show 2 unchanged cells'
  ]);
  await expect(tab).not.toContainText('import pandas as pd');
  await toggles.first().click();
  await expect(tab).toContainText('import pandas as pd');
  await expect(toggles.first()).toHaveAttribute('aria-expanded', 'true');

  // Closing the tab goes back to the notebook.
  await page
    .locator('#jp-main-dock-panel .lm-TabBar-tab', {
      hasText: 'discharge-checks.ipynb and the gallery'
    })
    .locator('.lm-TabBar-tabCloseIcon')
    .click();
  await expect(tab).toHaveCount(0);
  expect(errors.filter(e => e.includes('Atrium'))).toEqual([]);
});
