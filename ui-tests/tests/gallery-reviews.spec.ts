/**
 * Reviews and verified notebooks (issue 17), all in the UI: the owner requests a technical
 * review on the notebook's page; a reviewer claims it and approves it on the same page; the
 * owner then sees the Verified badge on the page and on the result in the sidebar, and the
 * result under "Verified only".
 *
 * Two users on one test server: the cookie of jupyter_server_test_config.py names them; its
 * `AtriumGallery.review_kinds` makes `technical` a kind reviewed by the group
 * `review-spec-reviewers`, which `AtriumGallery.groups` gives `review-spec-reviewer`.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

import {
  apiAs,
  galleryUrl,
  json,
  openPanel,
  plainNotebook,
  searchInPanel,
  showGalleryPage,
  switchUser,
  waitForAnyTab
} from './gallery-helpers';

test.setTimeout(180000);

test.use({
  waitForApplication: async ({}, use) => waitForAnyTab(use)
});

const OWNER = 'review-spec-owner';
const REVIEWER = 'review-spec-reviewer';

interface IReviews {
  verified: boolean;
  items: Array<{
    status: string;
    claimedBy: string | null;
    history: Array<{ action: string; by: string }>;
  }>;
}

function technical(page: Page) {
  return page.locator(
    '.jp-Atrium-GalleryPage .jp-Atrium-GalleryReviews-kind[data-kind="technical"]'
  );
}

test('the owner requests a review, a reviewer claims and approves it, and the notebook shows as verified', async ({
  page,
  baseURL
}) => {
  // Unique per run: the server (and its gallery) may outlive one run of this spec.
  const title = `Readmission model ${Date.now().toString(36)}`;
  const owner = await apiAs(baseURL!, OWNER);
  const summary = await json<{ id: string; verified: boolean }>(
    await owner.post(galleryUrl(baseURL!, 'notebooks'), {
      data: {
        title,
        description: 'Thirty-day readmissions by ward.',
        tags: [],
        visibility: 'public',
        notebook: plainNotebook([
          { type: 'markdown', source: `# ${title}` },
          { type: 'code', source: 'WINDOW_DAYS = 30' }
        ])
      }
    })
  );
  expect(summary.verified).toBe(false);

  // The owner asks for the review, with a note for the reviewers.
  await switchUser(page, baseURL!, OWNER);
  await showGalleryPage(page, summary.id);
  const row = technical(page);
  await expect(row).toContainText('not reviewed', { timeout: 20000 });
  await row
    .getByRole('textbox', { name: 'Note for the reviewers (technical)' })
    .fill('Please check the readmission window.');
  await row.getByRole('button', { name: 'Request technical review' }).click();
  await expect(row).toContainText('requested, waiting for a reviewer', {
    timeout: 20000
  });
  // The owner cannot review her own notebook: no claim for her.
  await expect(
    row.getByRole('button', { name: 'Claim technical review' })
  ).toHaveCount(0);

  // The reviewer claims it and approves it with a comment.
  await switchUser(page, baseURL!, REVIEWER);
  await showGalleryPage(page, summary.id);
  const review = technical(page);
  await review
    .getByRole('button', { name: 'Claim technical review' })
    .click({ timeout: 20000 });
  await expect(review).toContainText(`being reviewed by ${REVIEWER}`, {
    timeout: 20000
  });
  await review
    .getByRole('textbox', { name: 'Review comment (technical)' })
    .fill('The window matches the protocol.');
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(review).toContainText(`approved by ${REVIEWER}`, {
    timeout: 20000
  });
  const history = page.locator(
    '.jp-Atrium-GalleryPage .jp-Atrium-GalleryReviews-history'
  );
  await expect(history).toContainText(`${REVIEWER} approved version 1`);
  await expect(history).toContainText(
    `${OWNER} requested the review (version 1)`
  );

  // The service agrees: every step recorded with who.
  const reviews = await json<IReviews>(
    await owner.get(galleryUrl(baseURL!, `notebooks/${summary.id}/reviews`))
  );
  expect(reviews.verified).toBe(true);
  expect(reviews.items[0].history.map(s => [s.action, s.by])).toEqual([
    ['requested', OWNER],
    ['claimed', REVIEWER],
    ['approved', REVIEWER]
  ]);

  // The owner sees the badge on the page and on the result, also under "Verified only".
  await switchUser(page, baseURL!, OWNER);
  const detail = await showGalleryPage(page, summary.id);
  const pageBadge = detail.locator('.jp-Atrium-Gallery-verified');
  await expect(pageBadge).toHaveText(/Verified/, { timeout: 20000 });
  await expect(pageBadge).toHaveAttribute(
    'title',
    'Every review approved the current version'
  );
  const panel = await openPanel(page);
  await searchInPanel(panel, title);
  const result = panel.locator(
    `.jp-Atrium-Gallery-result[data-id="${summary.id}"]`
  );
  await expect(result.locator('.jp-Atrium-Gallery-verified')).toHaveText(
    /Verified/
  );
  // The filters are behind the Filters toggle, beside the search.
  await panel.locator('.jp-Atrium-Gallery-filterToggle').click();
  await panel.getByRole('checkbox', { name: 'Verified only' }).check();
  await expect(result).toBeVisible({ timeout: 20000 });
  await expect(panel.locator('.jp-Atrium-Gallery-result')).toHaveCount(1);
});
