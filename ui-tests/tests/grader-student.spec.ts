/**
 * The student's side of the grader (issues 14 and 15): a student opens the demo's
 * assignment from the gallery panel's Assignments section, checks an exercise, submits,
 * and reads the official result and the receipt. Official grading runs in the UI-test
 * server's own embedded worker, in the real sandbox.
 *
 * jupyter_server_test_config.py makes "teacher" (cookie atrium-test-user) an instructor;
 * Galata's anonymous user is the student.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

import {
  apiAs,
  exec,
  json,
  pictureLayout,
  setSource,
  switchUser
} from './gallery-helpers';
import {
  collectErrors,
  reloadWhenSaved,
  savedLayouts,
  SCREENSHOTS
} from './helpers';

const GRADING = 'atrium/api/service/grading';
const TITLE = 'Length of stay';
const COPY = 'assignments/Length of stay.ipynb';

test.use({ autoGoto: true });

test.beforeEach(async ({ baseURL, request }) => {
  // One assignment, released afresh; no copy of an earlier run left in the student's folder.
  const teacher = await apiAs(baseURL!, 'teacher');
  const { items } = await json<{ items: { id: string }[] }>(
    await teacher.get(`${GRADING}/assignments`)
  );
  for (const item of items) {
    expect(
      (await teacher.delete(`${GRADING}/assignments/${item.id}`)).ok()
    ).toBe(true);
  }
  const notebook = JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../demo/grading/length-of-stay.ipynb'),
      'utf8'
    )
  );
  await json(
    await teacher.post(`${GRADING}/assignments`, {
      data: {
        title: TITLE,
        course: 'Statistics for ward staff',
        notebook,
        reveal: 'message-only'
      }
    })
  );
  await teacher.dispose();
  await request.delete(`${baseURL}/api/contents/${encodeURI(COPY)}`);
});

test('a student opens, checks and submits an assignment and keeps the receipt', async ({
  page
}) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  await pictureLayout(page);
  await exec(page, 'atrium-gallery:open-panel');
  const section = page.locator('.jp-Atrium-Gallery-assignments');
  const row = section.locator('.jp-Atrium-Gallery-assignment', {
    hasText: TITLE
  });
  await expect(row).toHaveAttribute('data-status', 'not-opened');
  await expect(row).toContainText('No due date · 5 points');
  await expect(row).toContainText('Not opened');

  // Open: the copy is made in the student's folder, linked to the assignment, and opened.
  await row.getByRole('button', { name: 'Open' }).click();
  const notebook = page.locator('.jp-NotebookPanel:visible');
  await expect(notebook).toBeVisible();
  await expect(
    page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')
  ).toContainText('Length of stay.ipynb');
  const exercises = page.locator('#jp-Atrium-Grader-exercises');
  await expect(exercises).toBeVisible();
  await expect(exercises.locator('[data-exercise]')).toHaveCount(3);
  await expect(exercises).toContainText('The mean stay');
  await expect(row).toHaveAttribute('data-status', 'in-progress', {
    timeout: 20_000
  });

  // Check an exercise: its answer, run, then checked; the panel shows the result.
  await setSource(
    page,
    3,
    'def mean_stay(days):\n    return sum(days) / len(days) if days else 0.0'
  );
  await page.notebook.runCell(1);
  await page.notebook.runCell(3);
  await page.notebook.selectCells(3);
  await exec(page, 'atrium-grader:check');
  await expect(
    notebook.locator('.jp-Cell').nth(3).locator('.jp-Atrium-Grader-check')
  ).toContainText('1 of 1 public check passed');
  const mean = exercises.locator('[data-exercise="mean-stay"]');
  await expect(mean.locator('button')).toHaveAttribute('data-check', 'pass');
  await expect(mean).toContainText('1 of 1 public check passed');
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'student-assignments.png')
  });

  // A click on an exercise goes to its answer cell.
  await exercises.locator('[data-exercise="median"] button').click();
  await expect(notebook.locator('.jp-Cell').nth(8)).toHaveClass(
    /jp-mod-active/
  );

  // Submit from the notebook toolbar: saved, sent, graded in the sandbox, shown.
  await notebook.locator('.jp-Atrium-Grader-submit').click();
  await page
    .locator('.jp-Dialog .jp-Dialog-button', { hasText: 'Submit' })
    .click();
  const submission = page.locator('.jp-Dialog .jp-Atrium-Grader-submission');
  await expect(submission).toBeVisible();
  await expect(
    submission.locator('.jp-Atrium-Grader-receipt pre')
  ).toContainText(/Submission: [0-9a-f]{32}/);
  await expect(
    submission.locator('.jp-Atrium-Grader-result-headline')
  ).toContainText('Official score:', { timeout: 180_000 });
  await expect(
    submission.locator(
      '[data-exercise="mean-stay"] .jp-Atrium-Grader-result-score'
    )
  ).toHaveText('2 / 2');
  const receipt = submission.locator('.jp-Atrium-Grader-receipt pre');
  await expect(receipt).toContainText(/Content hash \(SHA-256\): [0-9a-f]{64}/);
  await expect(receipt).toContainText(/Score: [\d.]+ of 5/);
  await expect(submission).toContainText(
    "Your instructor shows each failing test's message"
  );
  await page
    .locator('.jp-Dialog-content')
    .screenshot({ path: path.join(SCREENSHOTS, 'student-receipt.png') });
  await page
    .locator('.jp-Dialog .jp-Dialog-button', { hasText: 'Close' })
    .click();

  // The section and the panel show the official score.
  await expect(row).toHaveAttribute('data-status', 'submitted');
  await expect(row).toContainText(/Submitted · [\d.]+ of 5 points/);
  await expect(mean).toContainText('Official: 2 of 2');
  expect(errors).toEqual([]);
});

test('the Exercises panel comes back after a reload, as the student left the sidebar', async ({
  page
}) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const saved = savedLayouts(page);
  await exec(page, 'atrium-gallery:open-panel');
  const row = page.locator('.jp-Atrium-Gallery-assignment', { hasText: TITLE });
  await row.getByRole('button', { name: 'Open' }).click();
  const exercises = page.locator('#jp-Atrium-Grader-exercises');
  await expect(exercises.locator('[data-exercise]')).toHaveCount(3);

  // Reloaded: the panel is back, open, with the copy's exercises.
  const panelName = 'atrium-grader-exercises:panel';
  await reloadWhenSaved(page, saved, [panelName]);
  await expect(exercises).toBeVisible({ timeout: 60000 });
  await expect(exercises.locator('[data-exercise]')).toHaveCount(3, {
    timeout: 30000
  });
  await expect(exercises).toContainText('The mean stay');

  // Folded away, it stays folded after a reload (the copy, restored too, does not
  // bring it forward again), and opens with its exercises from its tab.
  const tab = page.locator(
    '.jp-SideBar.jp-mod-right .lm-TabBar-tab[data-id="jp-Atrium-Grader-exercises"]'
  );
  await tab.click();
  await expect(exercises).toBeHidden();
  await expect
    .poll(
      () =>
        (saved.layout()?.right as { collapsed?: boolean } | undefined)
          ?.collapsed,
      { timeout: 30000 }
    )
    .toBe(true);
  await reloadWhenSaved(page, saved, [panelName]);
  await expect(
    page.locator('.jp-NotebookPanel:visible .jp-Cell').first()
  ).toBeVisible({ timeout: 60000 });
  await expect(tab).toHaveCount(1);
  await expect(exercises).toBeHidden();
  await tab.click();
  await expect(exercises.locator('[data-exercise]')).toHaveCount(3);
  expect(errors).toEqual([]);
});

test('an instructor’s row opens the assignment’s gradebook', async ({
  page,
  baseURL
}) => {
  await switchUser(page, baseURL!, 'teacher');
  await exec(page, 'atrium-gallery:open-panel');
  const row = page.locator('.jp-Atrium-Gallery-assignment', {
    hasText: TITLE
  });
  const id = await row.getAttribute('data-assignment');
  await row.getByRole('button', { name: 'Gradebook' }).click();
  await expect(page.locator(`#jp-Atrium-Gradebook-${id}`)).toBeVisible();
});
