/**
 * Network drives in a real JupyterLab against a real, throwaway Samba server
 * (`ui-tests/netdrive-samba.py`, started by this spec; skipped when Samba cannot run here,
 * CI installs it): connect through the dialog (a wrong password first), open a notebook on
 * the share, edit and save it and read the change from the share's directory on disk,
 * open a picture from the share and upload a 12 MiB file with the drive browser's upload
 * button (chunked, compared byte for byte on the share), disconnect and reconnect from the
 * panel (the password is asked again), see the drive shown unreachable while its Samba is
 * paused (SIGSTOP) and connected again once it answers, forget the drive.
 * Also writes the user guide's screenshots (docs/images/netdrive-*.png; pictures for the
 * guide, not snapshot assertions).
 */
import { expect, test } from '@jupyterlab/galata';
import { Locator, Page, request as playwrightRequest } from '@playwright/test';
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';

import { SCREENSHOTS } from './helpers';

const REPO = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(REPO, 'ui-tests', 'netdrive-samba.py');
const API = '/atrium/api/netdrive';
const BASE_URL = process.env.TARGET_URL ?? 'http://localhost:8888';

/** The drive this spec creates: its display name and the name the server derives. */
const DISPLAY_NAME = 'Department data';
const DRIVE = 'department-data';

interface ISamba {
  port: number;
  user: string;
  password: string;
  dataDir: string;
}

interface ILabWindow {
  jupyterapp: {
    commands: { execute(id: string, args?: unknown): Promise<unknown> };
    serviceManager: {
      contents: {
        get(path: string): Promise<unknown>;
        save(path: string, model: unknown): Promise<unknown>;
      };
      sessions: { shutdownAll(): Promise<void> };
    };
    shell: {
      currentWidget: {
        context?: { path: string };
        sessionContext?: {
          session?: { kernel?: { name: string } | null } | null;
        };
      } | null;
    };
  };
}

let launcher: ChildProcessWithoutNullStreams | null = null;
let launcherLines: readline.Interface | null = null;
let samba: ISamba | null = null;

/** Start the throwaway Samba; resolves with its address, or a reason it cannot run. */
function startSamba(): Promise<ISamba | { unavailable: string }> {
  const venv = path.join(REPO, '.venv', 'bin', 'python');
  const python =
    process.env.ATRIUM_PYTHON ?? (fs.existsSync(venv) ? venv : 'python3');
  const child = spawn(python, [LAUNCHER], { stdio: ['pipe', 'pipe', 'pipe'] });
  launcher = child;
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    launcherLines = lines;
    const timer = setTimeout(
      () => reject(new Error(`Samba did not start in 60 s:\n${stderr}`)),
      60000
    );
    lines.once('line', line => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`netdrive-samba.py exited with ${code}:\n${stderr}`));
    });
  });
}

/** Pause (SIGSTOP) or resume the spec's Samba; resolves once the launcher has done it. */
function sambaCommand(command: 'pause' | 'resume'): Promise<void> {
  const child = launcher;
  const lines = launcherLines;
  if (!child || !lines) {
    return Promise.reject(new Error('Samba is not running'));
  }
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Samba did not ${command} in 30 s`)),
      30000
    );
    lines.once('line', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  child.stdin.write(`${command}\n`);
  return done;
}

/** Forget the spec's drive on the Jupyter server (left over from an earlier run too). */
async function forgetDrive(): Promise<void> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  try {
    const reply = await api.get(`${API}/drives`);
    if (!reply.ok()) {
      return;
    }
    const { items } = (await reply.json()) as { items: { name: string }[] };
    for (const drive of items.filter(d => d.name.startsWith(DRIVE))) {
      await api.delete(`${API}/drives/${drive.name}`);
    }
  } finally {
    await api.dispose();
  }
}

function exec(page: Page, command: string, args?: unknown) {
  return page.evaluate(
    ({ command, args }) =>
      (window as unknown as ILabWindow).jupyterapp.commands.execute(
        command,
        args
      ),
    { command, args }
  );
}

/** The path of the document in the main area's current tab ('' if none). */
function currentPath(page: Page): Promise<string> {
  return page.evaluate(() => {
    const app = (window as unknown as ILabWindow).jupyterapp;
    return app.shell.currentWidget?.context?.path ?? '';
  });
}

/** The kernel of the current tab's session, once it has one. */
function currentKernel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const app = (window as unknown as ILabWindow).jupyterapp;
    return (
      app.shell.currentWidget?.sessionContext?.session?.kernel?.name ?? null
    );
  });
}

/** Shut down the kernels the test started. */
function shutdownSessions(page: Page): Promise<void> {
  return page.evaluate(() =>
    (
      window as unknown as ILabWindow
    ).jupyterapp.serviceManager.sessions.shutdownAll()
  );
}

/** Show the home file browser at the root of the home folder. */
async function homeRoot(page: Page): Promise<Locator> {
  await page.sidebar.openTab('filebrowser');
  await exec(page, 'filebrowser:go-to-path', { path: '/' });
  return page.locator('#filebrowser');
}

/** A tab of the main area, by its title. */
function tabTitled(page: Page, title: string): Locator {
  return page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
    hasText: title
  });
}

/** A request to the drives API, as the page would make it (no XSRF in Galata). */
async function driveRequest(method: 'POST' | 'GET', endPoint: string) {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  try {
    const reply = await api.fetch(`${API}/${endPoint}`, { method });
    expect(reply.ok()).toBe(true);
  } finally {
    await api.dispose();
  }
}

function shareAddress(): string {
  return `\\\\127.0.0.1:${samba!.port}\\data`;
}

async function openPanel(page: Page): Promise<Locator> {
  await exec(page, 'atrium-netdrive:open-panel');
  const panel = page.locator('#jp-Atrium-NetDrive-panel');
  await expect(panel).toBeVisible();
  return panel;
}

function driveItem(page: Page): Locator {
  return page.locator(
    `#jp-Atrium-NetDrive-panel li.jp-Atrium-NetDrive-drive[data-atrium-drive="${DRIVE}"]`
  );
}

function driveBrowser(page: Page): Locator {
  return page.locator(`#jp-Atrium-NetDrive-browser-${DRIVE}`);
}

/** Show the drive's file browser from the Network Drives panel, as a user would. */
async function showDriveBrowser(page: Page): Promise<Locator> {
  await openPanel(page);
  await driveItem(page).locator('[data-atrium-action="open"]').click();
  const browser = driveBrowser(page);
  await expect(browser).toBeVisible();
  return browser;
}

/** A row of a file browser's listing, by its exact name. */
function listed(browser: Locator, name: string): Locator {
  return browser.locator('.jp-DirListing-item').filter({
    has: browser.page().locator('.jp-DirListing-itemText', {
      hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    })
  });
}

test.describe.serial('network drives', () => {
  test.setTimeout(180000);

  test.beforeAll(async () => {
    const started = await startSamba();
    if ('unavailable' in started) {
      launcher?.stdin.end();
      test.skip(
        true,
        `Network drive UI tests need a local Samba: ${started.unavailable}`
      );
      return;
    }
    samba = started;
    await forgetDrive();
  });

  test.afterAll(async () => {
    if (samba) {
      await forgetDrive();
    }
    if (launcher) {
      const child = launcher;
      launcher = null;
      launcherLines = null;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.stdin.end(); // the launcher stops smbd and removes its directory
      await Promise.race([
        exited,
        new Promise(resolve => setTimeout(resolve, 20000))
      ]);
    }
  });

  test('connect through the dialog: a wrong password first', async ({
    page
  }) => {
    const panel = await openPanel(page);
    await panel.locator('[data-atrium-action="connect-new"]').click();
    const dialog = page.locator('.jp-Atrium-NetDrive-connectDialog');
    await expect(dialog).toBeVisible();

    // Validation as the user types: a share without a share name.
    const share = dialog.locator('input[name="share"]');
    await share.fill('\\\\127.0.0.1');
    await share.blur();
    await expect(
      dialog.locator('[data-atrium-error-for="share"]')
    ).toContainText('share');
    await share.fill(shareAddress());
    await expect(dialog.locator('[data-atrium-error-for="share"]')).toHaveCount(
      0
    );
    // The display name follows the share until the user types one.
    const displayName = dialog.locator('input[name="displayName"]');
    await expect(displayName).toHaveValue('data');

    await dialog.locator('input[name="username"]').fill(samba!.user);
    const password = dialog.locator('input[name="password"]');
    await expect(password).toHaveAttribute('type', 'password');
    await password.fill('not-the-password');
    await displayName.fill(DISPLAY_NAME);
    await share.fill(`${shareAddress()}\\`);
    await expect(displayName).toHaveValue(DISPLAY_NAME);
    await share.fill(shareAddress());
    await dialog.locator('.jp-Atrium-NetDrive-connectButton').click();

    // The specific error, at the password field; the dialog stays with every field kept.
    const error = dialog.locator('[data-atrium-error-for="password"]');
    await expect(error).toHaveText(
      'The file server refused this user name and password. Check them and the domain.'
    );
    await expect(dialog).toBeVisible();
    await expect(share).toHaveValue(shareAddress());
    await expect(dialog.locator('input[name="username"]')).toHaveValue(
      samba!.user
    );
    await expect(dialog.locator('input[name="displayName"]')).toHaveValue(
      DISPLAY_NAME
    );
    await expect(dialog.locator('input[name="readOnly"]')).not.toBeChecked();
    await expect(password).toBeFocused();
    await expect(driveItem(page)).toHaveCount(0);

    // Typing a new password clears the error; the password stays masked.
    await password.fill(samba!.password);
    await expect(error).toHaveCount(0);
    await expect(password).toHaveAttribute('type', 'password');
    await dialog.locator('.jp-Dialog-content').screenshot({
      path: path.join(SCREENSHOTS, 'netdrive-connect-dialog.png')
    });

    await dialog.locator('.jp-Atrium-NetDrive-connectButton').click();
    await expect(dialog).toHaveCount(0, { timeout: 30000 });

    // The drive's own file browser opens, showing the share.
    const browser = driveBrowser(page);
    await expect(browser).toBeVisible();
    await expect(listed(browser, 'project')).toBeVisible();
    await expect(listed(browser, 'README.txt')).toBeVisible();
    await expect(driveItem(page)).toHaveAttribute(
      'data-atrium-state',
      'connected'
    );
  });

  test('open a notebook on the share, edit it, save it', async ({ page }) => {
    const panel = await openPanel(page);
    const item = driveItem(page);
    await expect(item).toHaveAttribute('data-atrium-state', 'connected');
    await expect(panel.locator('.jp-Atrium-NetDrive-driveShare')).toContainText(
      `127.0.0.1:${samba!.port}`
    );
    await item.locator('[data-atrium-action="open"]').click();
    const browser = driveBrowser(page);
    await expect(browser).toBeVisible();

    await listed(browser, 'project').dblclick();
    await expect(listed(browser, 'analysis.ipynb')).toBeVisible();
    await expect(listed(browser, 'raw.csv')).toBeVisible();
    await listed(browser, 'analysis.ipynb').dblclick();

    const tab = page.locator('.jp-NotebookPanel', {
      has: page.locator('.jp-Cell')
    });
    await expect(tab).toBeVisible({ timeout: 30000 });
    await expect(page.locator('.jp-Cell').nth(1)).toContainText('samples = 12');
    // The document lives on the drive, not in the home folder.
    const docPath = await page.evaluate(() => {
      const app = (
        window as unknown as {
          jupyterapp: {
            shell: {
              currentWidget: { context?: { path: string } } | null;
            };
          };
        }
      ).jupyterapp;
      return app.shell.currentWidget?.context?.path ?? '';
    });
    expect(docPath).toBe(`atrium-nd-${DRIVE}:project/analysis.ipynb`);

    expect(await page.notebook.setCell(1, 'code', 'samples = 42')).toBe(true);
    await page.notebook.save();

    // The change is in the file on the Samba side.
    const onDisk = path.join(samba!.dataDir, 'project', 'analysis.ipynb');
    const cellText = (index: number): string => {
      const nb = JSON.parse(fs.readFileSync(onDisk, 'utf-8'));
      const source: string | string[] = nb.cells[index].source;
      return Array.isArray(source) ? source.join('') : source;
    };
    await expect
      .poll(() => cellText(1), { timeout: 15000 })
      .toBe('samples = 42');
    const saved = JSON.parse(fs.readFileSync(onDisk, 'utf-8'));
    expect(saved.nbformat).toBe(4);
    expect(saved.cells).toHaveLength(2);
    expect(cellText(0)).toBe('# Results on the department drive');

    await page.screenshot({
      path: path.join(SCREENSHOTS, 'netdrive-browser.png')
    });
    await page.notebook.close(true);
  });

  test('a drive file is deleted permanently; home keeps its wording', async ({
    page
  }) => {
    const browser = await showDriveBrowser(page);
    // Written through the drive, so that it belongs to the share's user.
    await page.evaluate(
      drive =>
        (
          window as unknown as ILabWindow
        ).jupyterapp.serviceManager.contents.save(
          `atrium-nd-${drive}:scratch.txt`,
          { type: 'file', format: 'text', content: 'to be deleted' }
        ),
      DRIVE
    );
    const onDisk = path.join(samba!.dataDir, 'scratch.txt');
    expect(fs.existsSync(onDisk)).toBe(true);
    await browser.locator('[data-jp-item-name="refresh"] button').click();
    await listed(browser, 'scratch.txt').click({ button: 'right' });
    const menu = page.locator('.lm-Menu').last();
    // A drive has no trash: the menu says what happens, JupyterLab's item is not there.
    await expect(
      menu.locator('.lm-Menu-item[data-command="atrium-netdrive:delete"]')
    ).toHaveText(/Delete Permanently/);
    await expect(
      menu.locator('.lm-Menu-item[data-command="filebrowser:delete"]')
    ).toHaveCount(0);
    await menu
      .locator('.lm-Menu-item[data-command="atrium-netdrive:delete"]')
      .click();
    const confirm = page.locator('.jp-Dialog');
    await expect(confirm).toContainText('Permanently delete scratch.txt?');
    await expect(confirm).not.toContainText('Trash');
    await expect(confirm.locator('.jp-mod-warn')).toHaveText(
      'Delete Permanently'
    );
    await confirm.locator('.jp-mod-warn').click();
    await expect(confirm).toHaveCount(0);
    await expect.poll(() => fs.existsSync(onDisk)).toBe(false);
    await expect(listed(browser, 'scratch.txt')).toHaveCount(0);

    // The Delete key asks the same question.
    await listed(browser, 'README.txt').click();
    await page.keyboard.press('Delete');
    await expect(confirm).toContainText('Permanently delete README.txt?');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    expect(fs.existsSync(path.join(samba!.dataDir, 'README.txt'))).toBe(true);

    // The home folder keeps JupyterLab's own item.
    await page.contents.uploadContent('home', 'text', 'home-scratch.txt');
    const home = await homeRoot(page);
    await home.locator('[data-jp-item-name="refresh"] button').click();
    await listed(home, 'home-scratch.txt').click({ button: 'right' });
    await expect(
      menu.locator('.lm-Menu-item[data-command="filebrowser:delete"]')
    ).toHaveCount(1);
    await expect(
      menu.locator('.lm-Menu-item[data-command="atrium-netdrive:delete"]')
    ).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.contents.deleteFile('home-scratch.txt');
  });

  test('the launcher creates where the user started it', async ({ page }) => {
    const notebookPath = () => currentPath(page);
    // The home browser at the root of the home folder (where a launcher's folder is '').
    await homeRoot(page);
    const browser = await showDriveBrowser(page);
    // The drive browser is the last one used.
    await listed(browser, 'README.txt').click();

    // The main area's "+": the launcher follows the home folder.
    await page
      .locator('.lm-DockPanel-tabBar .lm-TabBar-addButton')
      .first()
      .click();
    const launcher = page.locator('.jp-Launcher:visible');
    await launcher
      .locator('.jp-LauncherCard[data-category="Notebook"]')
      .first()
      .click();
    await expect.poll(notebookPath, { timeout: 30000 }).toMatch(/\.ipynb$/);
    const homeNotebook = await notebookPath();
    expect(homeNotebook).not.toContain(':');
    await page.notebook.close(true);
    await page.contents.deleteFile(homeNotebook);

    // The drive's own "+": the launcher creates on the drive.
    await showDriveBrowser(page);
    await browser.locator('[data-jp-item-name="launch"] button').click();
    await page
      .locator(
        '.jp-Launcher:visible .jp-LauncherCard[data-category="Notebook"]'
      )
      .first()
      .click();
    await expect.poll(notebookPath, { timeout: 30000 }).toMatch(/\.ipynb$/);
    const driveNotebook = await notebookPath();
    expect(driveNotebook).toMatch(new RegExp(`^atrium-nd-${DRIVE}:Untitled`));
    const created = path.join(samba!.dataDir, driveNotebook.split(':')[1]);
    await expect.poll(() => fs.existsSync(created)).toBe(true);
    await page.notebook.close(true);
    fs.unlinkSync(created);
    await shutdownSessions(page);
  });

  test('a notebook from a drive is restored after a reload', async ({
    page
  }) => {
    const browser = await showDriveBrowser(page);
    await listed(browser, 'project').dblclick();
    await listed(browser, 'analysis.ipynb').dblclick();
    const cell = page.locator('.jp-NotebookPanel .jp-Cell').first();
    await expect(cell).toContainText('Results on the department drive', {
      timeout: 30000
    });

    // As most users leave it: the home file browser open in the sidebar.
    await page.sidebar.openTab('filebrowser');
    await page.reload({ waitForIsReady: false });
    await expect(tabTitled(page, 'analysis.ipynb')).toBeVisible({
      timeout: 60000
    });
    await expect(
      page.locator('.jp-NotebookPanel .jp-Cell').first()
    ).toContainText('Results on the department drive', { timeout: 60000 });
    // The page's address named the notebook: opened without a "Cannot open" error.
    expect(page.url()).toContain('/tree/atrium-nd-');
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    await exec(page, 'application:close-all');
  });

  test('documents of a drive the server forgot ask for its password once, then come back', async ({
    page
  }) => {
    const browser = await showDriveBrowser(page);
    await listed(browser, 'project').dblclick();
    await listed(browser, 'analysis.ipynb').dblclick();
    await expect(
      page.locator('.jp-NotebookPanel .jp-Cell').first()
    ).toContainText('Results on the department drive', { timeout: 30000 });
    await exec(page, 'docmanager:open', {
      path: `atrium-nd-${DRIVE}:project/raw.csv`
    });
    await expect(tabTitled(page, 'raw.csv')).toBeVisible({ timeout: 30000 });
    await page.sidebar.openTab('filebrowser');

    // As after a restart of the Jupyter server: the drive is remembered, its password not.
    await driveRequest('POST', `drives/${DRIVE}/disconnect`);
    await page.reload({ waitForIsReady: false });
    const ask = page.locator('.jp-Atrium-NetDrive-passwordDialog');
    await expect(ask).toBeVisible({ timeout: 60000 });
    await expect(ask).toHaveCount(1);
    await ask.locator('input[name="password"]').fill(samba!.password);
    await ask.locator('.jp-Atrium-NetDrive-passwordButton').click();
    await expect(ask).toHaveCount(0, { timeout: 30000 });

    // Both documents are back, and nothing asked a second time.
    await expect(tabTitled(page, 'analysis.ipynb')).toBeVisible({
      timeout: 60000
    });
    await expect(tabTitled(page, 'raw.csv')).toBeVisible();
    await tabTitled(page, 'analysis.ipynb').click();
    await expect(
      page.locator('.jp-NotebookPanel .jp-Cell').first()
    ).toContainText('Results on the department drive', { timeout: 60000 });
    await expect(ask).toHaveCount(0);
    await exec(page, 'application:close-all');
    await shutdownSessions(page);
  });

  test('the drive browser: its name, the Modified column, a notebook opens with its kernel', async ({
    page
  }) => {
    const browser = await showDriveBrowser(page);
    await expect(
      browser.locator('.jp-Atrium-NetDrive-browserHeader')
    ).toContainText(DISPLAY_NAME);
    // The column's title is shown whole at the sidebar's default width.
    const modified = browser.locator(
      '.jp-DirListing-headerItem.jp-id-modified'
    );
    await expect(modified).toBeVisible();
    const shownWhole = () =>
      modified.evaluate(header =>
        Array.from(header.querySelectorAll('.jp-DirListing-headerItemText'))
          .filter(text => getComputedStyle(text).display !== 'none')
          .map(
            text =>
              `${text.textContent}:${text.scrollWidth <= text.clientWidth}`
          )
      );
    await expect
      .poll(shownWhole)
      .toEqual([expect.stringMatching(/^(Last )?Modified:true$/)]);

    // Opening a notebook starts its kernel as in the home folder: no kernel dialog.
    await listed(browser, 'project').dblclick();
    await listed(browser, 'analysis.ipynb').dblclick();
    await expect
      .poll(() => currentKernel(page), { timeout: 30000 })
      .toBe('python3');
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    await exec(page, 'application:close-all');
    await shutdownSessions(page);
  });

  test('upload a large file to the share and open a picture from it', async ({
    page
  }) => {
    const browser = await showDriveBrowser(page);
    await listed(browser, 'project').dblclick();
    await expect(listed(browser, 'plot.png')).toBeVisible();

    // A binary file opens from the share (read as raw bytes, shown as base64).
    await listed(browser, 'plot.png').dblclick();
    const image = page.locator('.jp-ImageViewer img');
    await expect(image).toBeVisible({ timeout: 30000 });
    await expect
      .poll(() => image.evaluate(img => (img as HTMLImageElement).naturalWidth))
      .toBe(48);

    // 20 MiB, streamed from the file in 4 MiB raw parts: no 1 MiB base64 chunks, and no
    // "large file" question (JupyterLab asks above 15 MB because it reads files into
    // memory; the drive does not).
    const payload = crypto.randomBytes(20 * 1024 * 1024 + 123);
    const parts: string[] = [];
    page.on('request', request => {
      const url = new URL(request.url());
      if (
        request.method() === 'PUT' &&
        url.pathname.includes('/atrium/api/netdrive/raw/')
      ) {
        parts.push(url.searchParams.get('chunk') ?? 'whole');
      }
    });
    const upload = async () => {
      const chooser = page.waitForEvent('filechooser');
      await browser.locator('[data-jp-item-name="upload"] button').click();
      await (
        await chooser
      ).setFiles({
        name: 'measurements.bin',
        mimeType: 'application/octet-stream',
        buffer: payload
      });
    };
    await upload();
    // Listed once the upload is complete, not at the next poll (30 s here): the plugin
    // refreshes drive browsers itself (jupyterlab/jupyterlab#16988).
    await expect(listed(browser, 'measurements.bin')).toBeVisible({
      timeout: 10000
    });
    const onDisk = path.join(samba!.dataDir, 'project', 'measurements.bin');
    await expect
      .poll(() => (fs.existsSync(onDisk) ? fs.statSync(onDisk).size : -1), {
        timeout: 60000
      })
      .toBe(payload.length);
    expect(fs.readFileSync(onDisk).equals(payload)).toBe(true);
    expect(parts).toEqual(['1', '2', '3', '4', '5', '-1']);

    // The same name again: replaced only after the user says so, as in the home folder.
    fs.writeFileSync(onDisk, 'older');
    await upload();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('"measurements.bin" already exists');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // As in the home folder, the uploader then says the file was not uploaded.
    await expect(dialog).toContainText('File not uploaded');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
    expect(fs.readFileSync(onDisk, 'utf8')).toBe('older');
    await upload();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Overwrite' })
      .click();
    await expect
      .poll(() => fs.statSync(onDisk).size, { timeout: 60000 })
      .toBe(payload.length);
    expect(fs.readFileSync(onDisk).equals(payload)).toBe(true);

    await page.screenshot({
      path: path.join(SCREENSHOTS, 'netdrive-upload.png')
    });
    await exec(page, 'application:close-all');
  });

  test('disconnect and reconnect from the panel', async ({ page }) => {
    const panel = await openPanel(page);
    const item = driveItem(page);
    await expect(item).toHaveAttribute('data-atrium-state', 'connected');
    await expect(driveBrowser(page)).toHaveCount(1);

    await item.locator('[data-atrium-action="disconnect"]').click();
    await expect(item).toHaveAttribute('data-atrium-state', 'disconnected');
    await expect(driveBrowser(page)).toHaveCount(0);
    await expect(item.locator('[data-atrium-action="open"]')).toHaveCount(0);
    await expect(
      panel.locator('[data-atrium-action="reconnect-all"]')
    ).toBeEnabled();

    // Connecting again asks for the password (the server forgot it).
    await item.locator('[data-atrium-action="connect"]').click();
    const ask = page.locator('.jp-Atrium-NetDrive-passwordDialog');
    await expect(ask).toBeVisible();
    const password = ask.locator('input[name="password"]');
    await expect(password).toHaveAttribute('type', 'password');
    await expect(password).toHaveValue('');
    await password.fill('still-wrong');
    await ask.locator('.jp-Atrium-NetDrive-passwordButton').click();
    await expect(ask.locator('.jp-Atrium-NetDrive-formError')).toHaveText(
      'The file server refused this user name and password. Check them and the domain.'
    );
    await expect(item).toHaveAttribute('data-atrium-state', 'disconnected');

    await password.fill(samba!.password);
    await ask.locator('.jp-Atrium-NetDrive-passwordButton').click();
    await expect(ask).toHaveCount(0, { timeout: 30000 });
    await expect(item).toHaveAttribute('data-atrium-state', 'connected');
    const browser = driveBrowser(page);
    await expect(browser).toBeVisible();
    await expect(listed(browser, 'project')).toBeVisible();

    // The panel down to its last drive (not the empty sidebar below).
    await exec(page, 'atrium-netdrive:open-panel');
    const box = await panel.boundingBox();
    const list = await panel.locator('.jp-Atrium-NetDrive-list').boundingBox();
    expect(box && list).toBeTruthy();
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'netdrive-panel.png'),
      clip: {
        x: box!.x,
        y: box!.y,
        width: box!.width,
        height: list!.y + list!.height - box!.y + 12
      }
    });
  });

  test('a drive whose server stops answering is shown unreachable, then connected', async ({
    page
  }) => {
    await openPanel(page);
    const item = driveItem(page);
    await expect(item).toHaveAttribute('data-atrium-state', 'connected');
    await sambaCommand('pause');
    try {
      // Any call on the drive hits the server's deadline (5 s in the UI tests' config).
      const failure = await page.evaluate(async drive => {
        const app = (window as unknown as ILabWindow).jupyterapp;
        try {
          await app.serviceManager.contents.get(`atrium-nd-${drive}:project`);
          return 'answered';
        } catch (error) {
          return String((error as Error).message);
        }
      }, DRIVE);
      expect(failure).toContain('is not answering');
      await expect(item).toHaveAttribute('data-atrium-state', 'unreachable');
      await expect(item.locator('.jp-Atrium-NetDrive-state')).toHaveText(
        'unreachable'
      );
      await expect(
        item.locator('.jp-Atrium-NetDrive-driveError')
      ).toContainText(`The drive '${DISPLAY_NAME}' is not answering.`);
      // Still connected: it can be opened and disconnected, not "reconnected".
      await expect(item.locator('[data-atrium-action="open"]')).toBeVisible();
      await expect(item.locator('[data-atrium-action="connect"]')).toHaveCount(
        0
      );
    } finally {
      await sambaCommand('resume');
    }
    // The server finds it answering again (probe_interval), the panel follows.
    await expect(item).toHaveAttribute('data-atrium-state', 'connected', {
      timeout: 60000
    });
    await expect(item.locator('.jp-Atrium-NetDrive-driveError')).toHaveCount(0);
  });

  test('forget the drive', async ({ page }) => {
    await openPanel(page);
    const item = driveItem(page);
    await expect(item).toBeVisible();
    await item.locator('[data-atrium-action="forget"]').click();
    const confirm = page.locator('.jp-Dialog');
    await expect(confirm).toContainText(`Forget ${DISPLAY_NAME}?`);
    await confirm.locator('.jp-mod-warn').click();
    await expect(item).toHaveCount(0);
    await expect(driveBrowser(page)).toHaveCount(0);
    // Nothing on the share was touched.
    expect(
      fs.existsSync(path.join(samba!.dataDir, 'project', 'analysis.ipynb'))
    ).toBe(true);
  });
});
