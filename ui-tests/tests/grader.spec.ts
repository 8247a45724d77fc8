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
import { Locator } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

import { setSource } from './gallery-helpers';
import { collectErrors, labextension } from './helpers';

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

async function newNotebook(page: IJupyterLabPageFixture, name: string) {
  const policy = page.waitForResponse(response =>
    response.url().includes('/atrium/api/service/grading/policy')
  );
  await page.notebook.createNew(name);
  await policy;
}

test.describe('instructor authoring', () => {
  test('mark a cell, see lint on it as you type, and the points total', async ({
    page,
    baseURL
  }) => {
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
    expect(errors).toEqual([]);
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
    const fixture = JSON.parse(
      fs.readFileSync(
        path.resolve(
          __dirname,
          '../../tests/fixtures/grader/assignment.student.ipynb'
        ),
        'utf8'
      )
    );
    const file = `${tmpPath}/squares.ipynb`;
    const written = await request.put(`${baseURL}/api/contents/${file}`, {
      data: { type: 'notebook', format: 'json', content: fixture }
    });
    expect(written.ok()).toBe(true);
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
