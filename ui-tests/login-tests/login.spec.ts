import { expect, Page, test } from '@playwright/test';
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { SCREENSHOTS } from '../tests/helpers';

/**
 * Both login pages with the demo brand, each served by a real server with authentication
 * and XSRF on: a standalone Jupyter Server (token login) and JupyterHub (shared password,
 * configured with `configure_hub`). Screenshots are compared with the committed references
 * and copied to docs/images/; then a real browser logs in through each page.
 */

const REPO = path.resolve(__dirname, '..', '..');
const SPEC = path.join(REPO, 'demo', 'brand', 'brand.json');
const CHP = path.join(
  REPO,
  'tests',
  'hub',
  'node_modules',
  '.bin',
  'configurable-http-proxy'
);
const HUB_USER = 'alice';

interface IServer {
  url: string;
  secret: string;
  child: ChildProcess;
  log: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every server spawned, at once: afterAll stops them even when one never came up.
 */
const started: IServer[] = [];

function start(
  url: string,
  secret: string,
  command: string,
  args: string[],
  dir: string,
  env: Record<string, string>
): IServer {
  const log = path.join(dir, 'server.log');
  const out = fs.openSync(log, 'w');
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out]
  });
  fs.closeSync(out);
  const server = { url, secret, child, log };
  started.push(server);
  return server;
}

async function waitReady(server: IServer, probe: string): Promise<void> {
  const deadline = Date.now() + 90 * 1000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `server exited with ${server.child.exitCode}:\n${tail(server.log)}`
      );
    }
    try {
      if ((await fetch(`${server.url}${probe}`)).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`server did not answer within 90s:\n${tail(server.log)}`);
}

function tail(log: string): string {
  return fs.readFileSync(log, 'utf-8').slice(-4000);
}

async function stop(server: IServer): Promise<void> {
  const child = server.child;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timeout = new Promise(resolve => setTimeout(resolve, 20 * 1000));
    if (
      (await Promise.race([exited, timeout.then(() => 'timeout')])) ===
      'timeout'
    ) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  // On a clean exit the hub stops its proxy and removes this file; if not, stop it here.
  const proxyPid = path.join(path.dirname(server.log), 'jupyterhub-proxy.pid');
  if (fs.existsSync(proxyPid)) {
    try {
      process.kill(Number(fs.readFileSync(proxyPid, 'utf-8')), 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function startStandalone(root: string): Promise<IServer> {
  const dir = fs.mkdtempSync(path.join(root, 'standalone-'));
  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const server = start(
    `http://127.0.0.1:${port}`,
    token,
    'jupyter',
    [
      'lab',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--ServerApp.allow_root=True',
      `--ServerApp.root_dir=${dir}`,
      `--LabApp.workspaces_dir=${path.join(dir, 'workspaces')}`,
      `--AtriumService.database_url=sqlite:///${path.join(dir, 'atrium.sqlite')}`,
      `--AtriumBranding.spec_path=${SPEC}`
    ],
    dir,
    {
      // The token goes through the environment: never on a command line.
      JUPYTER_TOKEN: token,
      JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
      JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime')
    }
  );
  await waitReady(server, '/login');
  return server;
}

async function startHub(root: string): Promise<IServer> {
  const dir = fs.mkdtempSync(path.join(root, 'hub-'));
  const port = await freePort();
  const password = crypto.randomBytes(18).toString('base64url');
  const cookieSecret = path.join(dir, 'cookie_secret');
  fs.writeFileSync(cookieSecret, crypto.randomBytes(32).toString('hex'), {
    mode: 0o600
  });
  const config = `
import os
from jupyterlab_atrium.branding.hub import configure_hub

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${await freePort()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${await freePort()}"
c.ConfigurableHTTPProxy.command = [${JSON.stringify(CHP)}]
c.JupyterHub.db_url = ${JSON.stringify(`sqlite:///${dir}/jupyterhub.sqlite`)}
c.JupyterHub.cookie_secret_file = ${JSON.stringify(cookieSecret)}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["ATRIUM_TEST_HUB_PASSWORD"]
c.Authenticator.allowed_users = {"${HUB_USER}"}
c.JupyterHub.spawner_class = "simple"
c.JupyterHub.redirect_to_server = False
configure_hub(c, ${JSON.stringify(SPEC)}, cache_dir=${JSON.stringify(path.join(dir, 'cache'))})
`;
  const configFile = path.join(dir, 'jupyterhub_config.py');
  fs.writeFileSync(configFile, config);
  const server = start(
    `http://127.0.0.1:${port}`,
    password,
    'python',
    ['-m', 'jupyterhub', '-f', configFile],
    dir,
    { ATRIUM_TEST_HUB_PASSWORD: password }
  );
  await waitReady(server, '/hub/login');
  return server;
}

/**
 * Compare with the committed reference, then take the picture the docs show
 * (into docs/images/ only under `make screenshots`).
 */
async function screenshot(page: Page, name: string): Promise<void> {
  await expect(page).toHaveScreenshot(name);
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

test.describe('Branded login pages', () => {
  let root: string;
  let standalone: IServer | undefined;
  let hub: IServer | undefined;

  test.beforeAll(async () => {
    test.setTimeout(150 * 1000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-login-'));
    [standalone, hub] = await Promise.all([
      startStandalone(root),
      startHub(root)
    ]);
  });

  test.afterAll(async () => {
    await Promise.all(started.splice(0).map(stop));
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('standalone Jupyter Server: branded login page, token login into JupyterLab', async ({
    page,
    context
  }) => {
    const server = standalone!;
    await page.goto(`${server.url}/lab`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page).toHaveTitle(/Northbridge Notebooks/);
    await expect(page.getByText('Access is logged.')).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Terms of use' })
    ).toHaveAttribute('href', 'https://example.org/northbridge/terms');
    await screenshot(page, 'login-standalone.png');

    await page.locator('#password_input').fill(server.secret);
    await page.locator('#password_input').press('Enter');
    await page.waitForURL(/\/lab(\?|$)/);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
    await expect(page.locator('#jp-main-dock-panel')).toBeVisible();
    const cookies = (await context.cookies()).map(cookie => cookie.name);
    expect(cookies).toContain('_xsrf');
  });

  test('standalone login page: bottom notice at the window bottom, the error as an error, one left edge', async ({
    page
  }) => {
    const server = standalone!;
    const notice = page.locator('.jp-Atrium-Branding-notice-bottom');
    // Shorter than the page (it scrolls) and taller than it (space left below).
    for (const height of [700, 1600]) {
      await page.setViewportSize({ width: 1440, height });
      await page.goto(`${server.url}/login`);
      const box = (await notice.boundingBox())!;
      expect(
        Math.abs(box.y + box.height - height),
        `${height}`
      ).toBeLessThanOrEqual(1);
    }

    await page.locator('#password_input').fill('not-the-token');
    await page.locator('#password_input').press('Enter');
    const error = page.getByRole('alert');
    await expect(error).toHaveText('Invalid credentials');
    const style = await error.evaluate(element => {
      const css = getComputedStyle(element);
      return {
        color: css.color,
        background: css.backgroundColor,
        mark: css.borderLeftColor,
        align: css.textAlign
      };
    });
    // Coloured text on a tinted box with a mark in the same colour, aligned with the form.
    expect(style.color).not.toBe('rgb(0, 0, 0)');
    expect(style.background).not.toBe('rgba(0, 0, 0, 0)');
    expect(style.mark).toBe(style.color);
    expect(['left', 'start']).toContain(style.align);

    const lefts: Record<string, number> = {};
    for (const [name, locator] of Object.entries({
      brand: page.locator('.jp-Atrium-Branding-name'),
      error,
      field: page.locator('#password_input'),
      token: page.getByRole('heading', {
        name: 'Token authentication is enabled'
      })
    })) {
      lefts[name] = (await locator.boundingBox())!.x;
    }
    for (const [name, left] of Object.entries(lefts)) {
      expect(
        Math.abs(left - lefts.brand),
        `${name}: ${JSON.stringify(lefts)}`
      ).toBeLessThanOrEqual(1);
    }
  });

  test('JupyterHub: branded login page, password login to the hub home page', async ({
    page,
    context
  }) => {
    const server = hub!;
    await page.goto(`${server.url}/hub/login`);
    await expect(page).toHaveTitle('Northbridge Notebooks');
    await expect(page.locator('.atrium-login-name')).toHaveText(
      'Northbridge Notebooks'
    );
    await expect(page.locator('.atrium-login-message')).toContainText(
      'Access is logged.'
    );
    await expect(page.locator('.atrium-notice-top')).toContainText(
      'Restricted:'
    );
    await expect(page.locator('.atrium-notice-bottom')).toBeVisible();
    await expect(page.locator('img.atrium-logo-light')).toBeVisible();
    await screenshot(page, 'login-jupyterhub.png');

    await page.locator('#username_input').fill(HUB_USER);
    await page.locator('#password_input').fill(server.secret);
    await page.locator('#login_submit').click();
    await page.waitForURL(/\/hub\/home$/);
    await expect(page.locator('#login_widget')).toContainText(HUB_USER);
    await expect(page.locator('.atrium-notice-top')).toBeVisible();
    const cookies = (await context.cookies()).map(cookie => cookie.name);
    expect(cookies).toContain('jupyterhub-hub-login');
  });
});
