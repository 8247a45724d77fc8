/**
 * Reviews and verified notebooks (issue 17), all in the UI: the owner requests a technical
 * review on the notebook's page; a reviewer claims it and approves it on the same page; the
 * owner then sees the Verified badge on the page and on the result in the sidebar, and the
 * result under "Verified only". The reviewer's side: the request in the notification area,
 * the Inbox and the review queue (the sidebar's Reviews tab, also from the command
 * palette), claimed and approved from there, the owner told of the outcome; and a private
 * notebook whose reviewer's access ends with their decision (the page shows the decision,
 * never "not found").
 *
 * Two users on one test server: the cookie of jupyter_server_test_config.py names them; its
 * `AtriumGallery.review_kinds` makes `technical` a kind reviewed by the group
 * `review-spec-reviewers`, which `AtriumGallery.groups` gives `review-spec-reviewer`.
 */
import { expect, test } from '@jupyterlab/galata';
import type { APIRequestContext, Page } from '@playwright/test';
import * as path from 'path';

import {
  apiAs,
  exec,
  galleryUrl,
  json,
  openPanel,
  pictureLayout,
  plainNotebook,
  SCREENSHOTS,
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
const REVIEWERS = 'review-spec-reviewers';

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

/** The page of notebook `id` (others may be open in the dock). */
function notebookPage(page: Page, id: string) {
  return page.locator('#jp-main-dock-panel .jp-Atrium-GalleryPage', {
    has: page.locator(`.jp-Atrium-Gallery-detail[data-id="${id}"]`)
  });
}

/** Publish as the owner and ask for a technical review, through the API. */
async function requested(
  baseURL: string,
  owner: APIRequestContext,
  title: string,
  visibility: 'public' | 'private'
): Promise<string> {
  const summary = await json<{ id: string }>(
    await owner.post(galleryUrl(baseURL, 'notebooks'), {
      data: {
        title,
        description: 'Alert thresholds by ward.',
        tags: [],
        visibility,
        notebook: plainNotebook([
          { type: 'markdown', source: `# ${title}` },
          { type: 'code', source: 'THRESHOLD = 2' }
        ])
      }
    })
  );
  await json(
    await owner.post(galleryUrl(baseURL, `notebooks/${summary.id}/reviews`), {
      data: { kind: 'technical', comment: 'Check the thresholds.' }
    })
  );
  return summary.id;
}

/** Everyone's inbox read up to now: only this test's events are new (the server keeps
 * earlier tests' and runs' events, and more than three new ones are summed up). */
async function readAll(baseURL: string, ...users: APIRequestContext[]) {
  for (const user of users) {
    await json(
      await user.post(galleryUrl(baseURL, 'inbox/read'), {
        data: { upTo: 2147483647 }
      })
    );
  }
}

test('a reviewer finds the request in the notifications, the Inbox and the review queue, claims and approves it from there, and the owner is told', async ({
  page,
  baseURL
}) => {
  const title = `Sepsis screening ${Date.now().toString(36)}`;
  const owner = await apiAs(baseURL!, OWNER);
  const reviewer = await apiAs(baseURL!, REVIEWER);
  await readAll(baseURL!, owner, reviewer);
  const id = await requested(baseURL!, owner, title, 'public');

  // The reviewer: told in the notification area once JupyterLab has restored.
  await switchUser(page, baseURL!, REVIEWER);
  const asked = `${OWNER} asks your group ${REVIEWERS} for a technical review of "${title}": “Check the thresholds.”`;
  await expect(
    page.locator('.jp-toast-message', { hasText: asked })
  ).toBeVisible({ timeout: 60000 });

  // The review queue, from the command palette's command: the sidebar's Reviews tab.
  await exec(page, 'atrium-gallery:review-queue');
  const reviewsTab = page.locator('#jp-Atrium-Gallery-tab-reviews');
  await expect(reviewsTab).toHaveAttribute('aria-selected', 'true', {
    timeout: 20000
  });
  const queue = page.locator('#jp-Atrium-Gallery-tabpanel-reviews');
  const item = queue.locator('.jp-Atrium-GalleryQueue-item', {
    hasText: title
  });
  await expect(item).toBeVisible({ timeout: 20000 });
  await expect(item).toHaveAttribute('data-state', 'unclaimed');
  await expect(item).toContainText('technical review');
  await expect(item).toContainText(`requested by ${OWNER}`);

  // The same request in the Inbox.
  await page.locator('#jp-Atrium-Gallery-tab-inbox').click();
  const event = page.locator('.jp-Atrium-GalleryInbox-item', {
    hasText: title
  });
  await expect(event).toContainText(asked, { timeout: 20000 });
  await expect(event).toHaveAttribute('data-event-kind', 'review-requested');

  // Claimed from the queue: it stays, as the reviewer's own.
  await reviewsTab.click();
  await expect(item).toBeVisible();
  // The guide's picture: the queue with an unclaimed request, in a wider sidebar.
  await pictureLayout(page, 380);
  const panelBox = await page.locator('#jp-Atrium-Gallery-panel').boundingBox();
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'gallery-review-queue.png'),
    clip: { ...panelBox!, height: Math.min(panelBox!.height, 260) }
  });
  await item
    .getByRole('button', { name: `Claim the technical review of "${title}"` })
    .click();
  await expect(item).toHaveAttribute('data-state', 'mine', { timeout: 20000 });
  await expect(item).toContainText('claimed by you');
  // Open: the notebook's page at its Reviews section, where the reviewer approves.
  await item
    .getByRole('button', { name: `Open the technical review of "${title}"` })
    .click();
  const nbPage = notebookPage(page, id);
  await expect(nbPage.locator('#jp-Atrium-GalleryReviews-title')).toBeFocused({
    timeout: 20000
  });
  const row = nbPage.locator(
    '.jp-Atrium-GalleryReviews-kind[data-kind="technical"]'
  );
  await expect(row).toContainText(`being reviewed by ${REVIEWER}`);
  await row
    .getByRole('textbox', { name: 'Review comment (technical)' })
    .fill('Thresholds match the protocol.');
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(row).toContainText(`approved by ${REVIEWER}`, {
    timeout: 20000
  });
  // Decided: no longer in the queue (the panel reads it again when a page changes).
  await expect(item).toHaveCount(0, { timeout: 20000 });

  // The owner: told of the claim and the approval, and the event opens the Reviews section.
  await switchUser(page, baseURL!, OWNER);
  const outcome = `${REVIEWER} approved version 1 of "${title}" (technical): “Thresholds match the protocol.”`;
  await expect(
    page.locator('.jp-toast-message', { hasText: outcome })
  ).toBeVisible({ timeout: 60000 });
  await expect(
    page.locator('.jp-toast-message', {
      hasText: `${REVIEWER} is reviewing "${title}" (technical)`
    })
  ).toBeVisible();
  const panel = await openPanel(page);
  // The owner reviews nothing: no Reviews tab.
  await expect(panel.locator('#jp-Atrium-Gallery-tab-reviews')).toHaveCount(0);
  await panel.locator('#jp-Atrium-Gallery-tab-inbox').click();
  const told = panel.locator('.jp-Atrium-GalleryInbox-item', {
    hasText: outcome
  });
  await expect(told).toHaveAttribute('data-event-kind', 'review-approved', {
    timeout: 20000
  });
  await told.getByRole('button').click();
  const ownerPage = notebookPage(page, id);
  await expect(
    ownerPage.locator('#jp-Atrium-GalleryReviews-title')
  ).toBeFocused({ timeout: 20000 });
  await expect(
    ownerPage.locator(
      '#jp-Atrium-GalleryReviews-title .jp-Atrium-Gallery-verified'
    )
  ).toHaveText(/Verified/);
});

test('a private notebook\'s reviewer sees their recorded decision, not "not found", once their access ends', async ({
  page,
  baseURL
}) => {
  const title = `Private ledger ${Date.now().toString(36)}`;
  const owner = await apiAs(baseURL!, OWNER);
  const reviewer = await apiAs(baseURL!, REVIEWER);
  await readAll(baseURL!, owner);
  const id = await requested(baseURL!, owner, title, 'private');

  const errors: string[] = [];
  page.on('pageerror', error => errors.push(String(error)));
  await switchUser(page, baseURL!, REVIEWER);
  // The open request lets the reviewer read the private notebook.
  await showGalleryPage(page, id);
  const nbPage = notebookPage(page, id);
  const row = nbPage.locator(
    '.jp-Atrium-GalleryReviews-kind[data-kind="technical"]'
  );
  await row
    .getByRole('button', { name: 'Claim technical review' })
    .click({ timeout: 20000 });
  await expect(row).toContainText(`being reviewed by ${REVIEWER}`, {
    timeout: 20000
  });
  // From here on, any "not found" on the notebook's page is recorded, however briefly.
  await page.evaluate(id => {
    const detail = document.querySelector(
      `#jp-main-dock-panel .jp-Atrium-Gallery-detail[data-id="${id}"]`
    );
    const widget = detail?.closest<HTMLElement>('.jp-Atrium-GalleryPage');
    if (!widget) {
      throw new Error('no page for the notebook');
    }
    const seen: string[] = [];
    (window as unknown as { atriumNotFound: string[] }).atriumNotFound = seen;
    new MutationObserver(() => {
      const text = widget.textContent ?? '';
      if (/not found/i.test(text)) {
        seen.push(text.slice(0, 200));
      }
    }).observe(widget, { subtree: true, childList: true, characterData: true });
  }, id);
  await row
    .getByRole('textbox', { name: 'Review comment (technical)' })
    .fill('Name the data source.');
  await row.getByRole('button', { name: 'Ask for changes' }).click();

  const ended = page.locator(
    '#jp-main-dock-panel .jp-Atrium-GalleryReviews-ended'
  );
  await expect(ended).toContainText(
    `You asked for changes to version 1 of "${title}" (technical review)`,
    { timeout: 20000 }
  );
  await expect(ended).toContainText('Your comment: “Name the data source.”');
  await expect(ended).toContainText(
    'This notebook is private: you could read it as its reviewer, and your access ended with your decision.'
  );
  await expect(
    ended.getByRole('button', { name: 'Close this page' })
  ).toBeFocused();
  expect(
    await page.evaluate(
      () => (window as unknown as { atriumNotFound: string[] }).atriumNotFound
    )
  ).toEqual([]);
  expect(errors).toEqual([]);

  // The service agrees: the decision is recorded, the notebook is no longer the reviewer's.
  expect(
    (await reviewer.get(galleryUrl(baseURL!, `notebooks/${id}`))).status()
  ).toBe(404);
  const reviews = await json<IReviews>(
    await owner.get(galleryUrl(baseURL!, `notebooks/${id}/reviews`))
  );
  expect(reviews.items[0].status).toBe('changes-requested');
  const inbox = await json<{
    items: Array<{ kind: string; notebookId: string }>;
  }>(await owner.get(galleryUrl(baseURL!, 'inbox')));
  expect(inbox.items.filter(e => e.notebookId === id).map(e => e.kind)).toEqual(
    ['review-changes-requested', 'review-claimed']
  );

  await ended.getByRole('button', { name: 'Close this page' }).click();
  await expect(ended).toHaveCount(0);
});
