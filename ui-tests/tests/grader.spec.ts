/**
 * The exercise grader's authoring tools (issue 14): an instructor marks a cell from the
 * cell toolbar, edits it in Notebook Tools, sees lint on the cell as they type and the
 * points total in the notebook toolbar; a student sees none of it; disabling the plugin
 * leaves the rest of Atrium working.
 *
 * jupyter_server_test_config.py makes the user "teacher" (cookie atrium-test-user) an
 * instructor; Galata's anonymous user is a student.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext, Locator } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

import { setSource } from './gallery-helpers';
import { collectErrors, labextension, SCREENSHOTS } from './helpers';

const PLUGIN = 'jupyterlab-atrium:grader';
const MARK = '[data-command="atrium-grader:mark-cell"]';

interface ICellModelShell {
  metadata: Record<string, unknown>;
}

interface IGraderShell {
  jupyterapp: {
    hasPlugin(id: string): boolean;
    isPluginActivated(id: string): boolean;
    shell: {
      currentWidget: {
        content?: { widgets: { model: ICellModelShell }[] };
      } | null;
    };
  };
}

/** The grader metadata of cell `index` of the current notebook. */
function graderOf(page: IJupyterLabPageFixture, index: number) {
  return page.evaluate(index => {
    const widget = (window as unknown as IGraderShell).jupyterapp.shell
      .currentWidget;
    const metadata = widget?.content?.widgets[index]?.model.metadata as
      { atrium?: { grader?: unknown } } | undefined;
    return metadata?.atrium?.grader ?? null;
  }, index);
}

function cellAt(page: IJupyterLabPageFixture, index: number): Locator {
  return page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(index);
}

/** The grader's form in Notebook Tools. */
function field(page: IJupyterLabPageFixture, key: string): Locator {
  return page.locator(`#notebook-tools [id$="_/atrium/grader/${key}"]`);
}

/**
 * Act as `user` (jupyter_server_test_config.py names the user after this cookie) from a
 * fresh page; each test has its own browser context, so the cookie ends with the test.
 */
async function actAs(
  page: IJupyterLabPageFixture,
  baseURL: string,
  user: string
): Promise<void> {
  await page
    .context()
    .addCookies([{ name: 'atrium-test-user', value: user, url: baseURL }]);
  await page.reload({ waitForIsReady: false });
  await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
  await page.waitForCondition(() => page.isVisible('#jp-main-dock-panel'));
}

/**
 * The notebook toolbar's button for `command`: in the toolbar, or in its overflow menu
 * when the toolbar is too narrow for it (opened here).
 */
async function toolbarButton(
  page: IJupyterLabPageFixture,
  command: string
): Promise<Locator> {
  const selector = `[data-command="${command}"]`;
  const inline = page.locator(`.jp-NotebookPanel-toolbar ${selector}`);
  if (await inline.isVisible()) {
    return inline;
  }
  await page
    .locator('.jp-NotebookPanel-toolbar .jp-Toolbar-responsive-opener')
    .click();
  return page.locator(`.jp-Toolbar-responsive-popup ${selector}`);
}

/**
 * Make the notebook the shell's current widget again. (Galata's notebook.activate sees
 * its tab current in its own tab bar and does nothing while a split beside it has focus.)
 */
async function focusNotebook(page: IJupyterLabPageFixture): Promise<void> {
  await page
    .getByRole('main')
    .getByRole('tab', { name: 'grader-authoring.ipynb', exact: true })
    .click();
  await page.waitForFunction(() => {
    const current = (
      window as unknown as {
        jupyterapp: { shell: { currentWidget: { node: HTMLElement } | null } };
      }
    ).jupyterapp.shell.currentWidget;
    return current?.node.classList.contains('jp-NotebookPanel') ?? false;
  });
}

/** Start a self-test from the notebook toolbar and wait until it has reported. */
async function selfTest(page: IJupyterLabPageFixture): Promise<void> {
  await (await toolbarButton(page, 'atrium-grader:self-test')).click();
  const report = page.locator('.jp-Atrium-Grader-selftest');
  // Starting a kernel takes a second at least: the busy state cannot be missed.
  await expect(report).toHaveAttribute('data-busy', 'true');
  // Two fresh kernels, one after the other: a deadline for a loaded machine.
  await expect(report).not.toHaveAttribute('data-busy', 'true', {
    timeout: 120_000
  });
  await expect(report.getByRole('button', { name: 'Cancel' })).toBeHidden();
}

async function sessionsOf(page: IJupyterLabPageFixture, baseURL: string) {
  const reply = await page.request.get(`${baseURL}/api/sessions`);
  return (await reply.json()) as { path: string }[];
}

function sessionCount(page: IJupyterLabPageFixture, baseURL: string) {
  return sessionsOf(page, baseURL).then(list => list.length);
}

/** Self-test kernels still running (each has a session of its own). */
function selfTestSessions(page: IJupyterLabPageFixture, baseURL: string) {
  return sessionsOf(page, baseURL).then(
    list => list.filter(s => s.path.includes('.atrium-self-test-')).length
  );
}

/** Open the release dialog from the current notebook's toolbar. */
async function openRelease(page: IJupyterLabPageFixture): Promise<Locator> {
  await focusNotebook(page);
  await (await toolbarButton(page, 'atrium-grader:release')).click();
  const dialog = page.locator('.jp-Dialog', {
    has: page.locator('.jp-Atrium-Grader-release')
  });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The current notebook's release link (`metadata.atrium.release`). */
function releaseLink(page: IJupyterLabPageFixture) {
  return page.evaluate(() => {
    const widget = (
      window as unknown as {
        jupyterapp: {
          shell: {
            currentWidget: {
              model?: { getMetadata(key: string): unknown };
            } | null;
          };
        };
      }
    ).jupyterapp.shell.currentWidget;
    const atrium = widget?.model?.getMetadata('atrium') as
      { release?: { id: string; version: number } } | undefined;
    return atrium?.release ?? null;
  });
}

/** Write the shared grader fixture `name` (tests/fixtures/grader/) to `file` on the server. */
async function putFixture(
  request: APIRequestContext,
  baseURL: string,
  name: string,
  file: string
): Promise<void> {
  const content = JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../tests/fixtures/grader', name),
      'utf8'
    )
  );
  const written = await request.put(`${baseURL}/api/contents/${file}`, {
    data: { type: 'notebook', format: 'json', content }
  });
  expect(written.ok()).toBe(true);
}

async function newNotebook(page: IJupyterLabPageFixture, name: string) {
  await page.notebook.createNew(name);
  // The grader asks the server for the user's role once per page: when the first notebook
  // opens, or earlier (the gradebook command asks at start). Either way it has answered.
  await page.waitForFunction(() =>
    performance
      .getEntriesByType('resource')
      .some(entry => entry.name.includes('/atrium/api/service/grading/policy'))
  );
}

test.describe('instructor authoring', () => {
  test('mark cells, see lint as you type, self-test, preview and release', async ({
    page,
    baseURL
  }) => {
    test.setTimeout(360_000);
    const errors = collectErrors(page);
    await actAs(page, baseURL!, 'teacher');
    await newNotebook(page, 'grader-authoring.ipynb');
    // The server says "teacher" is an instructor: the authoring tools are loaded.
    await expect(page.locator('body')).toHaveClass(
      /jp-Atrium-Grader-instructor/
    );
    await cellAt(page, 0).click();

    // The cell toolbar marks the cell as an answer and opens its form. (JupyterLab hides
    // the cell toolbar while it would cover the cell's text: the cell is empty here.)
    const mark = cellAt(page, 0).locator(MARK);
    await expect(mark).toBeVisible();
    await mark.click();
    await expect
      .poll(() => graderOf(page, 0))
      .toEqual({ version: 1, role: 'answer', exercise: 'q1' });
    await expect(page.locator('#notebook-tools')).toBeVisible();
    // rjsf's select has option indices as values: check the chosen option's title.
    await expect(field(page, 'role').locator('option:checked')).toHaveText(
      'Answer'
    );
    await expect(field(page, 'exercise')).toHaveValue('q1');

    // A BEGIN SOLUTION without its END: lint says so on the cell.
    await setSource(page, 0, 'def f():\n    ### BEGIN SOLUTION\n    return 1');
    const message = cellAt(page, 0).locator('.jp-Atrium-Grader-lint');
    await expect(message).toContainText('Line 2');
    await expect(message).toContainText('BEGIN SOLUTION');
    await expect(cellAt(page, 0)).toHaveClass(/jp-Atrium-Grader-mod-error/);

    // Closed: the problem goes.
    await setSource(
      page,
      0,
      'def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION'
    );
    await expect(message).toHaveCount(0);
    await expect(cellAt(page, 0)).not.toHaveClass(/jp-Atrium-Grader-mod-error/);

    // A tests cell, made in the form: it joins exercise q1; its points make the total.
    await page.notebook.addCell('code', 'assert f() == 1');
    await cellAt(page, 1).click();
    await field(page, 'role').selectOption({ label: 'Tests' });
    await expect
      .poll(() => graderOf(page, 1))
      .toEqual({ version: 1, role: 'tests', exercise: 'q1' });
    // No points yet: lint says so on the cell.
    await expect(
      cellAt(page, 1).locator('.jp-Atrium-Grader-lint')
    ).toContainText('no points');
    // Anywhere on the page: a narrow toolbar moves items into its overflow menu.
    const total = page.locator('.jp-Atrium-Grader-points');
    await expect(total).toContainText('0 points');
    await field(page, 'points').fill('3');
    await field(page, 'points').blur();
    await expect(total).toHaveText('3 points');
    await expect(cellAt(page, 1).locator('.jp-Atrium-Grader-lint')).toHaveCount(
      0
    );
    await field(page, 'points').fill('4.5');
    await field(page, 'points').blur();
    await expect(total).toHaveText('4.5 points');
    await expect.poll(() => graderOf(page, 1)).toMatchObject({ points: 4.5 });

    // A second test that tests nothing: the stub passes it too.
    await page.notebook.addCell('code', 'assert callable(f)');
    await cellAt(page, 2).click();
    await field(page, 'role').selectOption({ label: 'Tests' });
    await expect.poll(() => graderOf(page, 2)).toMatchObject({ role: 'tests' });
    await field(page, 'points').fill('1');
    await field(page, 'points').blur();
    await field(page, 'message').fill('f is callable');
    await field(page, 'message').blur();
    await expect
      .poll(() => graderOf(page, 2))
      .toMatchObject({ points: 1, message: 'f is callable' });
    await expect(total).toHaveText('5.5 points');
    await page.notebook.save();
    // Room for the notebook, its report and its preview side by side.
    await page.sidebar.close('right');
    await page.sidebar.close('left');

    // Self-test: the solution and the stubs, each in a fresh kernel, shut down after.
    await selfTest(page);
    const report = page.locator('.jp-Atrium-Grader-selftest');
    await expect(report.locator('[data-tone="problem"]')).toHaveText([
      "✗ exercise q1: the stub passes test 'f is callable' — the test does not test anything"
    ]);
    await expect(
      report.locator('.jp-Atrium-Grader-selftest-headline')
    ).toHaveText('Self-test: 1 problem');
    await page.locator('#jp-main-dock-panel').screenshot({
      path: path.join(SCREENSHOTS, 'grader-selftest.png')
    });
    await expect.poll(() => selfTestSessions(page, baseURL!)).toBe(0);

    // Fixed: every test passes on the solution and fails on the stub.
    await focusNotebook(page);
    await setSource(page, 2, 'assert f() + 1 == 2');
    await selfTest(page);
    await expect(
      report.locator('.jp-Atrium-Grader-selftest-headline')
    ).toHaveText(
      'Self-test passed: every test passes on the solution and fails on the stub'
    );
    await expect(report.locator('li')).toHaveText([
      '✓ exercise q1: its 2 tests pass on the solution and fail on the stub'
    ]);
    await expect.poll(() => selfTestSessions(page, baseURL!)).toBe(0);

    // Preview: the student version, read-only, beside the notebook; no kernel for it.
    await focusNotebook(page);
    const sessions = await sessionCount(page, baseURL!);
    await (await toolbarButton(page, 'atrium-grader:preview-student')).click();
    const preview = page.locator('.jp-Atrium-Grader-preview');
    await expect(preview).toBeVisible();
    await expect(
      page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
        hasText: 'Student view: grader-authoring'
      })
    ).toBeVisible();
    const answer = preview.locator('.jp-Cell').nth(0);
    await expect(answer).toContainText('raise NotImplementedError()');
    await expect(preview).not.toContainText('return 1');
    await expect(preview.locator('.jp-Cell')).toHaveCount(3);
    await expect(answer.locator('.cm-content')).toHaveAttribute(
      'aria-readonly',
      'true'
    );
    await answer.locator('.cm-content').click();
    await page.keyboard.type('typed');
    await expect(answer).not.toContainText('typed');
    expect(await sessionCount(page, baseURL!)).toBe(sessions);
    await page.locator('#jp-main-dock-panel').screenshot({
      path: path.join(SCREENSHOTS, 'grader-preview.png')
    });
    // Closed again, so that the notebook's toolbar has its width back.
    await page
      .locator('.lm-TabBar-tab', { hasText: 'Student view: grader-authoring' })
      .locator('.lm-TabBar-tabCloseIcon')
      .click();
    await expect(preview).toHaveCount(0);

    // Release with a lint error: refused, with the cell and the reason.
    await focusNotebook(page);
    await page.notebook.addCell('code', '# BEGIN HIDDEN TESTS');
    const dialog = await openRelease(page);
    await expect(dialog.locator('.jp-Dialog-header')).toHaveText(
      'Release assignment'
    );
    await expect(dialog.locator('input[name="title"]')).toHaveValue(
      'grader-authoring'
    );
    await dialog.locator('input[name="title"]').fill('Functions');
    await dialog.locator('input[name="deadline"]').fill('2027-01-31T23:59');
    await dialog.locator('select[name="late"]').selectOption('until');
    await dialog.locator('input[name="lateUntil"]').fill('2027-02-02T23:59');
    await dialog.locator('input[name="latePenalty"]').fill('10');
    await dialog.locator('select[name="reveal"]').selectOption('score-only');
    await dialog.screenshot({
      path: path.join(SCREENSHOTS, 'grader-release.png')
    });
    await dialog.locator('.jp-mod-accept').click();
    const refused = page.locator('.jp-Dialog', {
      hasText: 'Not released: lint errors'
    });
    await expect(refused.locator('li').first()).toContainText(
      'Cell 4, line 1:'
    );
    await refused.locator('.jp-mod-accept').click();

    // Fixed: released; the notebook keeps the assignment id.
    await page.notebook.deleteCells();
    await expect(
      page.locator('.jp-NotebookPanel:visible .jp-Cell')
    ).toHaveCount(3);
    const again = await openRelease(page);
    await again.locator('input[name="title"]').fill('Functions');
    await again.locator('select[name="reveal"]').selectOption('score-only');
    await again.locator('.jp-mod-accept').click();
    await expect(
      page.locator('.Toastify__toast', {
        hasText: 'Released “Functions”'
      })
    ).toContainText('version 1');
    const link = await releaseLink(page);
    expect(link).toMatchObject({ version: 1 });
    const released = await page.request.get(
      `${baseURL}/atrium/api/service/grading/assignments/${link!.id}`
    );
    expect(await released.json()).toMatchObject({
      title: 'Functions',
      reveal: 'score-only',
      points: 5.5,
      version: 1
    });

    // Re-released: the same assignment, its next version, the form as released.
    const rerelease = await openRelease(page);
    await expect(rerelease.locator('.jp-Dialog-header')).toHaveText(
      'Re-release assignment'
    );
    await expect(rerelease.locator('input[name="title"]')).toHaveValue(
      'Functions'
    );
    await expect(rerelease.locator('select[name="reveal"]')).toHaveValue(
      'score-only'
    );
    await rerelease.locator('.jp-mod-accept').click();
    await expect(
      page.locator('.Toastify__toast', { hasText: 'version 2' })
    ).toContainText(link!.id);
    await expect
      .poll(() => releaseLink(page))
      .toEqual({
        id: link!.id,
        version: 2
      });
    // The browser logs the refused release's 422 itself; nothing else may have failed.
    expect(errors.filter(error => !error.includes('status of 422'))).toEqual(
      []
    );
  });
});

test.describe('instructor import', () => {
  test('an nbgrader notebook is imported beside itself and opens as an exercise notebook', async ({
    page,
    request,
    baseURL,
    tmpPath
  }) => {
    const file = `${tmpPath}/ps1.ipynb`;
    await putFixture(request, baseURL!, 'interop/nbgrader-source.ipynb', file);
    await actAs(page, baseURL!, 'teacher');
    await page.evaluate(async path => {
      await (
        window as unknown as {
          jupyterapp: {
            commands: { execute(id: string, args: object): Promise<unknown> };
          };
        }
      ).jupyterapp.commands.execute('docmanager:open', { path });
    }, file);
    await expect(
      page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current', {
        hasText: 'ps1.ipynb'
      })
    ).toBeVisible({ timeout: 30000 });
    await expect
      .poll(() =>
        page.evaluate(() =>
          (
            window as unknown as {
              jupyterapp: { commands: { isVisible(id: string): boolean } };
            }
          ).jupyterapp.commands.isVisible('atrium-grader:import')
        )
      )
      .toBe(true);
    const before = (
      await (
        await request.get(`${baseURL}/api/contents/${file}?content=0`)
      ).json()
    ).last_modified;
    await page.evaluate(() => {
      void (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute('atrium-grader:import');
    });
    const dialog = page.locator('.jp-Dialog');
    // The format is guessed from the notebook's nbgrader metadata.
    await expect(dialog.locator('select')).toHaveValue('nbgrader');
    await dialog.getByRole('button', { name: 'Import' }).click();
    // Written beside it, never over it, and opened; the original is untouched.
    await expect(
      page.locator('#jp-main-dock-panel .lm-TabBar-tab', {
        hasText: 'ps1 (Atrium).ipynb'
      })
    ).toBeVisible({ timeout: 30000 });
    const imported = await request.get(
      `${baseURL}/api/contents/${tmpPath}/${encodeURIComponent('ps1 (Atrium).ipynb')}?content=1`
    );
    expect(imported.ok()).toBe(true);
    const cells = (await imported.json()).content.cells as {
      metadata: { atrium?: { grader?: { role?: string } } };
    }[];
    expect(cells.some(c => c.metadata.atrium?.grader?.role === 'answer')).toBe(
      true
    );
    const after = await request.get(
      `${baseURL}/api/contents/${file}?content=0`
    );
    expect((await after.json()).last_modified).toBe(before);
    // Any notes of the conversion come in a dialog, closed here.
    const notes = page.locator('.jp-Dialog', { hasText: 'with notes' });
    if (await notes.isVisible()) {
      await notes.getByRole('button', { name: 'OK' }).click();
    }
  });
});

test.describe('students', () => {
  test('see no authoring tools', async ({ page }) => {
    await newNotebook(page, 'grader-student.ipynb');
    await cellAt(page, 0).click();
    await expect(cellAt(page, 0).locator('.jp-cell-toolbar')).toBeVisible();
    await expect(cellAt(page, 0).locator(MARK)).toBeHidden();
    await page.evaluate(() =>
      (
        window as unknown as {
          jupyterapp: { shell: { activateById(id: string): void } };
        }
      ).jupyterapp.shell.activateById('jp-property-inspector')
    );
    await expect(page.locator('#notebook-tools')).toBeVisible();
    await expect(
      page.locator('#notebook-tools .jp-Collapse-header', {
        hasText: 'Exercise grading'
      })
    ).toBeHidden();
    await expect(page.locator('.jp-Atrium-Grader-points')).toHaveCount(0);
  });
});

test.describe('admin control', () => {
  test.afterEach(() => {
    labextension('enable', PLUGIN);
  });

  test('disabling the grader alone keeps the other plugins working', async ({
    page,
    baseURL
  }) => {
    labextension('disable', PLUGIN);
    const errors = collectErrors(page);
    await actAs(page, baseURL!, 'teacher');
    const state = await page.evaluate(() => {
      const app = (window as unknown as IGraderShell).jupyterapp;
      return {
        grader: app.hasPlugin('jupyterlab-atrium:grader'),
        gallery: app.isPluginActivated('jupyterlab-atrium:gallery'),
        netdrive: app.isPluginActivated('jupyterlab-atrium:netdrive')
      };
    });
    expect(state).toEqual({ grader: false, gallery: true, netdrive: true });
    await page.notebook.createNew('grader-disabled.ipynb');
    await cellAt(page, 0).click();
    await expect(cellAt(page, 0).locator('.jp-cell-toolbar')).toBeVisible();
    await expect(cellAt(page, 0).locator(MARK)).toHaveCount(0);
    await expect(page.locator('.jp-Atrium-Grader-points')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});

test.describe('student checks', () => {
  test('Check runs the public tests silently and says what passed', async ({
    page,
    request,
    baseURL,
    tmpPath
  }) => {
    const file = `${tmpPath}/squares.ipynb`;
    await putFixture(request, baseURL!, 'assignment.student.ipynb', file);
    await page.notebook.openByPath(file);
    await page.notebook.activate('squares.ipynb');
    const answer = cellAt(page, 2);
    const report = answer.locator('.jp-Atrium-Grader-check');

    // A wrong answer, run, then checked from the keyboard.
    await setSource(page, 2, 'def square(x):\n    return x + x + 1');
    await page.notebook.runCell(2);
    await answer.click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+K');
    await expect(report).toContainText(
      '0 of 1 public check passed · hidden checks run when you submit'
    );
    await expect(report).toContainText(
      'square(2) should be 4 — AssertionError'
    );

    // Fixed and run again: the check passes; it left no output, count or history behind.
    await setSource(page, 2, 'def square(x):\n    return x * x');
    await page.notebook.runCell(2);
    const count = await answer.locator('.jp-InputPrompt').textContent();
    await answer.click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+K');
    await expect(report).toContainText(
      '1 of 1 public check passed · hidden checks run when you submit'
    );
    await expect(report).toHaveAttribute('data-tone', 'pass');
    await expect(answer.locator('.jp-InputPrompt')).toHaveText(count!);
    await expect(cellAt(page, 3).locator('.jp-OutputArea-output')).toHaveCount(
      0
    );
    await expect(cellAt(page, 3).locator('.jp-InputPrompt')).toHaveText(
      /\[ \]:/
    );
  });
});
