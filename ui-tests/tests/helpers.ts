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
