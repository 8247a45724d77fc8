import { expect } from '@jupyterlab/galata';
import { Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Where the user guide's pictures go. Only `make screenshots` (ATRIUM_DOC_SCREENSHOTS=1)
 * writes docs/images/; an ordinary test run writes them beside its other results, so
 * `make test` leaves the work tree as it found it.
 */
export const SCREENSHOTS = process.env.ATRIUM_DOC_SCREENSHOTS
  ? path.resolve(__dirname, '..', '..', 'docs', 'images')
  : path.resolve(__dirname, '..', 'test-results', 'doc-images');

/**
 * The config dir the test server reads its labconfig from (see package.json "start").
 */
export const CONFIG_DIR = path.resolve(__dirname, '..', '.jupyter-config');

/**
 * Run `jupyter labextension <args>` against the test server's config, as an admin would.
 */
export function labextension(...args: string[]): string {
  return execFileSync('jupyter', ['labextension', ...args, '--level=user'], {
    env: { ...process.env, JUPYTER_CONFIG_DIR: CONFIG_DIR },
    encoding: 'utf-8'
  });
}

/**
 * Collect console errors and uncaught exceptions of a page from now on.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') {
      errors.push(msg.text());
    }
  });
  page.on('pageerror', error => errors.push(String(error)));
  return errors;
}

/**
 * What JupyterLab saves to its workspace (PUT /lab/api/workspaces/…) from now on: the
 * layout and the trackers' restore state, as sent. `holds(name)`: whether the newest save
 * names a widget, by its restorer name (`<tracker namespace>:<name>`, or the name given
 * to `restorer.add`) — in the layout or as a tracker's saved entry; `layout()`: the
 * newest layout.
 */
export function savedLayouts(page: Page): {
  holds(name: string): boolean;
  layout(): Record<string, unknown> | null;
} {
  let newest = '';
  page.on('request', request => {
    if (
      request.method() === 'PUT' &&
      /\/api\/workspaces\//.test(request.url())
    ) {
      const body = request.postDataJSON() as {
        data?: Record<string, unknown>;
      } | null;
      if (body?.data?.['layout-restorer:data']) {
        newest = JSON.stringify(body.data);
      }
    }
  });
  return {
    holds: name => newest.includes(JSON.stringify(name)),
    layout: () =>
      newest ? (JSON.parse(newest)['layout-restorer:data'] ?? null) : null
  };
}

/**
 * Reload once the saved layout holds every one of `names`. JupyterLab saves the layout a
 * moment after it changes (debounced); a reload before that save restores the layout as
 * it was, so wait for it as a person's pause would. Resolves once the splash is gone.
 */
export async function reloadWhenSaved(
  page: Page,
  saved: { holds(name: string): boolean },
  names: string[]
): Promise<void> {
  await expect
    .poll(() => names.every(name => saved.holds(name)), { timeout: 30000 })
    .toBe(true);
  await (
    page as Page & {
      reload(options: { waitForIsReady: boolean }): Promise<unknown>;
    }
  ).reload({ waitForIsReady: false });
  await page
    .locator('#jupyterlab-splash')
    .waitFor({ state: 'detached', timeout: 60000 });
}
