/**
 * The instructor's gradebook (issue 15): an assignment with one graded submission, made
 * through the REST API; the instructor opens its gradebook, sees the student's row, grades
 * the manual exercise (a written answer, rendered through JupyterLab's sanitiser) and sees
 * the total change, then exports the CSV. Official grading runs in the UI-test server's
 * own embedded worker, in the real sandbox.
 *
 * jupyter_server_test_config.py makes "teacher" (cookie atrium-test-user) an instructor.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

import { apiAs, exec, json, switchUser } from './gallery-helpers';
import {
  collectErrors,
  reloadWhenSaved,
  savedLayouts,
  SCREENSHOTS
} from './helpers';

const GRADING = 'atrium/api/service/grading';
const COMMAND = 'atrium-grader:open-gradebook';
const STUDENT = 'student-gradebook';
const RIGHT = 'def square(x):\n    return x * x\n';
const WRITTEN =
  'Because (−x)·(−x) = x·x: **the sign cancels**, whatever the sign of x.\n\n<img src="x" alt="" onerror="window.__atriumXss = 1">';

interface ICell {
  cell_type: string;
  source: string | string[];
  metadata: { atrium?: { grader?: { exercise?: string; role?: string } } };
}

/** Releases the fixture assignment as the teacher; its id. */
async function release(teacher: APIRequestContext, title: string) {
  const notebook = JSON.parse(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../tests/fixtures/grader/assignment.in.ipynb'
      ),
      'utf8'
    )
  );
  const { id } = await json<{ id: string }>(
    await teacher.post(`${GRADING}/assignments`, {
      data: { title, notebook }
    })
  );
  return id;
}

/** Acts as the teacher (reloading) once the gradebook command is shown to them. */
async function asTeacher(page: IJupyterLabPageFixture, baseURL: string) {
  await switchUser(page, baseURL, 'teacher');
  // The command exists once the grader has started, and is shown to an instructor.
  await page.waitForFunction(command => {
    const app = (
      window as unknown as {
        jupyterapp: {
          commands: {
            hasCommand(id: string): boolean;
            isVisible(id: string): boolean;
          };
        };
      }
    ).jupyterapp;
    return app.commands.hasCommand(command) && app.commands.isVisible(command);
  }, COMMAND);
}

/** Releases the fixture assignment and submits a student's answers; waits for the grade. */
async function assignmentWithSubmission(baseURL: string): Promise<string> {
  const teacher = await apiAs(baseURL, 'teacher');
  const student = await apiAs(baseURL, STUDENT);
  try {
    const id = await release(teacher, 'Squares');
    const copy = await json<{ cells: ICell[] }>(
      await student.get(`${GRADING}/assignments/${id}/student`)
    );
    for (const cell of copy.cells) {
      const grader = cell.metadata.atrium?.grader;
      if (grader?.exercise === 'q1' && grader.role === 'answer') {
        cell.source = RIGHT;
      }
      if (grader?.exercise === 'q2' && grader.role === 'manual') {
        cell.source = WRITTEN;
      }
    }
    const receipt = await json<{ id: string }>(
      await student.post(`${GRADING}/assignments/${id}/submissions`, {
        data: { notebook: copy }
      })
    );
    await expect
      .poll(
        async () =>
          (
            await json<{ state: string }>(
              await student.get(`${GRADING}/submissions/${receipt.id}`)
            )
          ).state,
        { timeout: 180_000, intervals: [500, 1000] }
      )
      .toBe('graded');
    return id;
  } finally {
    await teacher.dispose();
    await student.dispose();
  }
}

test('an instructor grades a written answer in the gradebook and exports it', async ({
  page,
  baseURL
}) => {
  test.setTimeout(300_000);
  const assignment = await assignmentWithSubmission(baseURL!);
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await asTeacher(page, baseURL!);
  await exec(page, COMMAND, { assignment });

  const gradebook = page.locator('.jp-Atrium-Gradebook');
  await expect(gradebook).toBeVisible();
  await expect(
    page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')
  ).toContainText('Gradebook: Squares');
  const row = gradebook.locator('tbody tr', {
    has: page.locator('th[scope="row"]', { hasText: STUDENT })
  });
  await expect(row).toBeVisible();
  const total = row.locator('.jp-Atrium-Gradebook-total');
  await expect(total).toContainText('3 / 7');
  // The statistics rows: q1 graded once, with full points.
  await expect(gradebook.locator('tfoot tr').first()).toContainText('100 %');
  if (process.env.ATRIUM_DOC_SCREENSHOTS) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'gradebook.png') });
  }
  // Opening the same gradebook again activates the tab already open.
  await exec(page, COMMAND, { assignment });
  await expect(page.locator('.jp-Atrium-Gradebook')).toHaveCount(1);

  // The manual exercise waits for a grade: open it from the keyboard.
  const grade = row.locator('.jp-Atrium-Gradebook-grade');
  await expect(grade).toHaveText('Grade');
  await grade.focus();
  await page.keyboard.press('Enter');
  const view = gradebook.locator('.jp-Atrium-Gradebook-grading');
  await expect(view).toBeVisible();
  // The written answer is rendered Markdown, without the handler the sanitiser removed.
  await expect(view.locator('strong')).toHaveText('the sign cancels');
  await expect(view.locator('img[onerror]')).toHaveCount(0);
  const points = view.getByLabel(/Points/);
  await expect(points).toBeFocused();

  // More than the exercise is worth: refused before anything is sent.
  await points.fill('4');
  await expect(view.locator('.jp-Atrium-Gradebook-error')).toContainText(
    'At most 3 points'
  );
  await expect(view.getByRole('button', { name: 'Save' })).toBeDisabled();
  await points.fill('2.5');
  await view.getByLabel(/Comment/).fill('Right, and well put.');
  if (process.env.ATRIUM_DOC_SCREENSHOTS) {
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'gradebook-manual.png')
    });
  }
  await view.getByRole('button', { name: 'Save' }).click();
  await expect(view).toHaveCount(0);
  await expect(total).toContainText('5.5 / 7');
  await expect(row.locator('.jp-Atrium-Gradebook-grade')).toHaveText('2.5 / 3');
  // Back on the cell it was opened from.
  await expect(row.locator('.jp-Atrium-Gradebook-grade')).toBeFocused();

  // Export CSV: a download named after the assignment, in nbgrader's columns.
  const download = page.waitForEvent('download');
  await gradebook.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`gradebook-${assignment}.csv`);
  const csv = fs.readFileSync((await file.path())!, 'utf8');
  expect(csv.split('\n')[0]).toBe(
    'assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score'
  );
  expect(csv).toContain(`,${STUDENT},`);
  expect(csv).toContain(',5.5,0.0,5.5,7.0');

  // Regrade: confirmed in a dialog, then graded again in the sandbox; the mark stays.
  await gradebook.getByRole('button', { name: 'Regrade…' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Regrade “Squares”?');
  await dialog.getByRole('button', { name: 'Regrade' }).click();
  // A toast says it is under way, then that it is done (and the list keeps it).
  const toast = page.locator('.Toastify__toast', {
    hasText: 'Regrade of “Squares”'
  });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('Regrade of “Squares” done.', {
    timeout: 180_000
  });
  await expect
    .poll(
      async () =>
        (await page.notifications).map(
          (note: { message: string }) => note.message
        ),
      { timeout: 180_000 }
    )
    .toContain('Regrade of “Squares” done.');
  await expect(
    gradebook.locator('.jp-Atrium-Gradebook-toolbar [role="status"]')
  ).toHaveCount(0);
  await expect(total).toContainText('5.5 / 7');

  expect(
    await page.evaluate(
      () => (window as unknown as { __atriumXss?: number }).__atriumXss
    )
  ).toBeUndefined();
  // Failed requests are asserted where they matter; other plugins' are not this test's.
  expect(
    errors.filter(error => !error.includes('Failed to load resource'))
  ).toEqual([]);
});

test('a gradebook tab comes back after a reload, and says so once its assignment is gone', async ({
  page,
  baseURL
}) => {
  const title = `Rounds ${Date.now().toString(36)}`;
  const teacher = await apiAs(baseURL!, 'teacher');
  try {
    const assignment = await release(teacher, title);
    const errors = collectErrors(page);
    await asTeacher(page, baseURL!);
    const saved = savedLayouts(page);
    await exec(page, COMMAND, { assignment });
    const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tab', {
      hasText: `Gradebook: ${title}`
    });
    const gradebook = page.locator('.jp-Atrium-Gradebook');
    await expect(tab).toHaveCount(1);
    await expect(
      gradebook.locator('.jp-Atrium-Gradebook-summary')
    ).toBeVisible();

    // Reloaded: the tab is back, its gradebook read again (title, table).
    await reloadWhenSaved(page, saved, [
      `atrium-grader-gradebook:${assignment}`
    ]);
    await expect(tab).toHaveCount(1, { timeout: 60000 });
    await tab.click();
    await expect(gradebook.locator('.jp-Atrium-Gradebook-summary')).toBeVisible(
      { timeout: 30000 }
    );

    // The assignment deleted: the restored tab says so, and nothing throws.
    expect(
      (await teacher.delete(`${GRADING}/assignments/${assignment}`)).status()
    ).toBe(204);
    await reloadWhenSaved(page, saved, []);
    await page
      .locator('#jp-main-dock-panel .lm-TabBar-tab', {
        hasText: 'Gradebook'
      })
      .first()
      .click({ timeout: 60000 });
    await expect(gradebook.locator('.jp-Atrium-Gradebook-error')).toContainText(
      /does not exist/,
      { timeout: 30000 }
    );
    expect(errors.filter(e => e.includes('Atrium'))).toEqual([]);
  } finally {
    await teacher.dispose();
  }
});

test('a regrade with nothing to grade again says so in a toast', async ({
  page,
  baseURL
}) => {
  const title = `Empty ${Date.now().toString(36)}`;
  const teacher = await apiAs(baseURL!, 'teacher');
  try {
    const assignment = await release(teacher, title);
    await asTeacher(page, baseURL!);
    await exec(page, COMMAND, { assignment });
    const gradebook = page.locator('.jp-Atrium-Gradebook');
    await expect(
      gradebook.locator('.jp-Atrium-Gradebook-summary')
    ).toBeVisible();
    await gradebook.getByRole('button', { name: 'Regrade…' }).click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Regrade' })
      .click();
    // One toast with the last word (a "queued" one updated at once stayed on screen).
    await expect(
      page.locator('.Toastify__toast', { hasText: `Regrade of “${title}”` })
    ).toContainText(
      `Regrade of “${title}” done: no submission to grade again.`
    );
  } finally {
    await teacher.dispose();
  }
});
