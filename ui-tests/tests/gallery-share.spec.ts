/**
 * Sharing a gallery notebook from its page (issue 17): the owner opens Share, a name
 * nobody has is refused at its row, a group found by typing gets read access and is
 * listed; the group's member is told in JupyterLab's notification area and the Inbox.
 *
 * Two users on one test server: the cookie of jupyter_server_test_config.py names them,
 * and its `AtriumGallery.groups` puts `share-spec-reader` in `share-spec-readers`.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

import {
  apiAs,
  galleryUrl,
  json,
  pictureLayout,
  plainNotebook,
  SCREENSHOTS,
  showGalleryPage,
  switchUser,
  waitForAnyTab
} from './gallery-helpers';

test.setTimeout(180000);

test.use({
  waitForApplication: async ({}, use) => waitForAnyTab(use)
});

const OWNER = 'share-spec-owner';
const GROUP = 'share-spec-readers';
const READER = 'share-spec-reader';

interface IShares {
  visibility: string;
  items: Array<{ kind: string; name: string; access: string }>;
}

test('the owner shares with a group found by typing; its member is notified and sees it in the Inbox', async ({
  page,
  baseURL
}) => {
  // Unique per run: the server (and its gallery) may outlive one run of this spec.
  const title = `Bed occupancy ${Date.now().toString(36)}`;
  const owner = await apiAs(baseURL!, OWNER);
  const summary = await json<{ id: string }>(
    await owner.post(galleryUrl(baseURL!, 'notebooks'), {
      data: {
        title,
        description: 'Occupied beds per ward and day.',
        tags: [],
        visibility: 'shared',
        notebook: plainNotebook([
          { type: 'markdown', source: `# ${title}` },
          { type: 'code', source: 'WARDS = ["A", "B", "C"]' }
        ])
      }
    })
  );
  // The reader has used the gallery before (so the directory knows the group too).
  const reader = await apiAs(baseURL!, READER);
  await json(await reader.get(galleryUrl(baseURL!, 'policy')));

  await switchUser(page, baseURL!, OWNER);
  await pictureLayout(page);
  await showGalleryPage(page, summary.id);
  await page.locator('.jp-Atrium-GalleryShare-open').click();
  const dialog = page.getByRole('dialog', { name: `Share "${title}"` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /^Shared/ })).toBeChecked();
  const picker = dialog.getByRole('combobox', { name: 'Add users or groups' });

  // A name the directory does not offer is sent as a user name and refused at its row.
  await picker.fill('no-such-colleague');
  await expect(
    dialog.locator('.jp-Atrium-GalleryShare-pickerStatus')
  ).toContainText('No user or group matches', { timeout: 20000 });
  await picker.press('Enter');
  const unknown = dialog.locator(
    '.jp-Atrium-GalleryShare-row[data-name="no-such-colleague"]'
  );
  await expect(unknown).toContainText('not saved yet');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(unknown.getByRole('alert')).toContainText(
    "There is no user 'no-such-colleague'"
  );
  await unknown
    .getByRole('button', { name: 'Remove no-such-colleague' })
    .click();
  await expect(unknown).toHaveCount(0);

  // The group, found as one types and chosen with the keyboard.
  await picker.pressSequentially('spec-readers', { delay: 30 });
  const option = dialog.getByRole('option', { name: new RegExp(GROUP) });
  await expect(option).toBeVisible({ timeout: 20000 });
  await expect(picker).toHaveAttribute('aria-expanded', 'true');
  await picker.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(picker).toHaveAttribute(
    'aria-activedescendant',
    (await option.getAttribute('id'))!
  );
  await picker.press('Enter');
  const row = dialog.locator(
    `.jp-Atrium-GalleryShare-row[data-name="${GROUP}"]`
  );
  await expect(row).toHaveAttribute('data-kind', 'group');
  await expect(
    row.getByRole('combobox', { name: `Access of ${GROUP}` })
  ).toHaveValue('read');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden({ timeout: 20000 });
  // The page says who can see it: shared, not public.
  await expect(
    page.locator(
      `.jp-Atrium-Gallery-detail[data-id="${summary.id}"] .jp-Atrium-Gallery-visibility`
    )
  ).toHaveText('shared');
  const shares = await json<IShares>(
    await owner.get(galleryUrl(baseURL!, `notebooks/${summary.id}/shares`))
  );
  expect(shares.items).toEqual([
    { kind: 'group', name: GROUP, access: 'read' }
  ]);

  // Opened again, the dialog lists the share (the guide's picture).
  await page.locator('.jp-Atrium-GalleryShare-open').click();
  await expect(
    dialog.locator(`.jp-Atrium-GalleryShare-row[data-name="${GROUP}"]`)
  ).toContainText('group');
  await dialog.screenshot({
    path: path.join(SCREENSHOTS, 'gallery-share.png')
  });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // The group's member: a notification once JupyterLab has restored, and the Inbox.
  await switchUser(page, baseURL!, READER);
  const toast = page.locator('.jp-toast-message', {
    hasText: `${OWNER} shared "${title}" with your group ${GROUP} to read`
  });
  await expect(toast).toBeVisible({ timeout: 60000 });
  await page.evaluate(async () => {
    await (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string): Promise<unknown> } };
      }
    ).jupyterapp.commands.execute('atrium-gallery:open-panel');
  });
  // The Inbox tab counts the unread notifications before it is opened.
  const inboxTab = page.locator('#jp-Atrium-Gallery-tab-inbox');
  await expect(
    inboxTab.locator('.jp-Atrium-GalleryInbox-unreadBadge')
  ).toHaveAttribute('aria-label', /unread notification/);
  await inboxTab.click();
  const event = page.locator('.jp-Atrium-GalleryInbox-item', {
    hasText: title
  });
  await expect(event).toBeVisible({ timeout: 20000 });
  await expect(event).toHaveClass(/jp-mod-unread/);
  await event.getByRole('button').click();
  await expect(
    page.locator(
      `#jp-main-dock-panel .jp-Atrium-Gallery-detail[data-id="${summary.id}"]`
    )
  ).toBeVisible({ timeout: 20000 });
  // A reader may not change sharing: no Share button on their page.
  await expect(page.locator('.jp-Atrium-GalleryShare-open')).toHaveCount(0);
});
