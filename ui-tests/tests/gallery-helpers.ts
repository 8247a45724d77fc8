/**
 * Helpers of the gallery UI tests: the REST API as a second client, users, notebooks.
 *
 * Galata's server runs without authentication; the test-only identity provider of
 * jupyter_server_test_config.py names the user after the cookie `atrium-test-user`.
 */
import {
  expect,
  IJupyterLabPage,
  IJupyterLabPageFixture
} from '@jupyterlab/galata';
import {
  APIRequestContext,
  APIResponse,
  Locator,
  Page,
  request as playwrightRequest
} from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

export const API = 'atrium/api/service/gallery';
export { SCREENSHOTS } from './helpers';
export const DEMO_GALLERY = path.resolve(
  __dirname,
  '..',
  '..',
  'demo',
  'gallery'
);
/** The `workspaceFolder` setting's default: where "Open a copy" writes. */
export const WORKSPACE = 'gallery';

/** The members of Galata's `window.jupyterapp` these tests use. */
interface ILabWindow {
  jupyterapp: {
    commands: { execute(id: string, args?: unknown): Promise<unknown> };
  };
}

export interface ISummary {
  id: string;
  title: string;
  owner: string;
  version: number;
  contentHash: string;
  canEdit: boolean;
  openChangeRequests: number;
}

export interface ICell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface INotebook {
  cells: ICell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/**
 * Shut down every kernel: the notebooks a test opened would keep theirs running and slow
 * the next tests down.
 */
export async function shutdownKernels(
  request: APIRequestContext,
  baseURL: string
): Promise<void> {
  const reply = await request.get(`${baseURL}/api/kernels`);
  if (reply.ok()) {
    for (const kernel of (await reply.json()) as Array<{ id: string }>) {
      await request.delete(`${baseURL}/api/kernels/${kernel.id}`);
    }
  }
}

/**
 * Run a command that returns at once (never one that waits for a dialog).
 */
export function exec(page: Page, command: string, args?: unknown) {
  return page.evaluate(
    ({ command, args }) =>
      (window as unknown as ILabWindow).jupyterapp.commands.execute(
        command,
        args
      ),
    { command, args }
  );
}

/**
 * Act as `user` from now on (null: Galata's anonymous user again), and reload JupyterLab.
 */
export async function switchUser(
  page: IJupyterLabPageFixture,
  baseURL: string,
  user: string | null
): Promise<void> {
  const context = page.context();
  if (user === null) {
    await context.clearCookies({ name: 'atrium-test-user' });
  } else {
    await context.addCookies([
      { name: 'atrium-test-user', value: user, url: baseURL }
    ]);
  }
  await page.reload();
  await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
  await page.waitForCondition(() => page.isVisible('#jp-main-dock-panel'));
}

/**
 * A REST client of the gallery acting as `user`, independent of the page.
 */
export async function apiAs(
  baseURL: string,
  user: string
): Promise<APIRequestContext> {
  return playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { Cookie: `atrium-test-user=${user}` }
  });
}

export async function json<T>(response: APIResponse): Promise<T> {
  if (!response.ok()) {
    throw new Error(
      `${response.url()}: ${response.status()} ${await response.text()}`
    );
  }
  return (await response.json()) as T;
}

export function galleryUrl(baseURL: string, rest: string): string {
  return `${baseURL}/${API}/${rest}`;
}

export async function publishViaApi(
  api: APIRequestContext,
  baseURL: string,
  fields: {
    title: string;
    description?: string;
    tags?: string[];
    visibility?: 'public' | 'private';
  },
  notebook: INotebook
): Promise<ISummary> {
  return json<ISummary>(
    await api.post(galleryUrl(baseURL, 'notebooks'), {
      data: {
        description: '',
        tags: [],
        visibility: 'public',
        ...fields,
        notebook
      }
    })
  );
}

export async function searchViaApi(
  api: APIRequestContext,
  baseURL: string,
  query: Record<string, string>
): Promise<ISummary[]> {
  const params = new URLSearchParams(query).toString();
  const page = await json<{ items: ISummary[] }>(
    await api.get(galleryUrl(baseURL, `notebooks?${params}`))
  );
  return page.items;
}

let languageInfo: Record<string, unknown> | null = null;

/**
 * The `language_info` the test server's Python kernel writes into a notebook it runs, so
 * notebooks published through the API look as if published from this JupyterLab (the
 * kernel would otherwise fill it in on open: a local change).
 */
export function kernelLanguageInfo(): Record<string, unknown> {
  if (languageInfo === null) {
    languageInfo = JSON.parse(
      execFileSync(
        'python',
        [
          '-c',
          'import json; from ipykernel.ipkernel import IPythonKernel as K; print(json.dumps(K.language_info))'
        ],
        { encoding: 'utf-8' }
      )
    ) as Record<string, unknown>;
  }
  return languageInfo;
}

/**
 * A stripped notebook (what the gallery stores) made of code and markdown sources.
 */
export function plainNotebook(
  cells: Array<{ type: 'code' | 'markdown'; source: string }>
): INotebook {
  return {
    cells: cells.map((cell, index) =>
      cell.type === 'code'
        ? {
            cell_type: 'code',
            id: `cell-${index}`,
            metadata: {},
            source: cell.source,
            outputs: [],
            execution_count: null
          }
        : {
            cell_type: 'markdown',
            id: `cell-${index}`,
            metadata: {},
            source: cell.source
          }
    ),
    metadata: {
      kernelspec: {
        display_name: 'Python 3 (ipykernel)',
        language: 'python',
        name: 'python3'
      },
      language_info: kernelLanguageInfo()
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** A 4×4 PNG (base64), a real image output. */
export const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGOQi1oARwzEcQC/IxGBJc2P+wAAAABJRU5ErkJggg==';

/**
 * A notebook as it is after a run: stream, image and widget outputs, execution counts,
 * timing metadata, saved widget state, and a password in a connection URL.
 */
export function executedNotebook(): INotebook {
  const timing = {
    execution: {
      'iopub.execute_input': '2026-03-02T09:14:03.117Z',
      'iopub.status.busy': '2026-03-02T09:14:03.116Z',
      'shell.execute_reply': '2026-03-02T09:14:03.950Z'
    }
  };
  return {
    cells: [
      {
        cell_type: 'markdown',
        id: 'intro',
        metadata: {},
        source:
          '# Ward 7 admissions\n\nWeekly counts from the admissions extract.'
      },
      {
        cell_type: 'code',
        id: 'load',
        metadata: { ...timing },
        execution_count: 1,
        source:
          'import sqlalchemy as sa\n' +
          'engine = sa.create_engine("postgresql://analyst:Tr0ub4dor-3@db.internal/wards")\n' +
          'admissions = load_extract(engine, "ward-7")\n' +
          'print(len(admissions), "admissions")',
        outputs: [
          {
            output_type: 'stream',
            name: 'stdout',
            text: '1284 admissions\n'
          }
        ]
      },
      {
        cell_type: 'code',
        id: 'plot',
        metadata: { ...timing, scrolled: true },
        execution_count: 2,
        source: 'weekly = admissions.resample("W").size()\nweekly.plot()',
        outputs: [
          {
            output_type: 'execute_result',
            execution_count: 2,
            data: { 'text/plain': '<Axes: xlabel="week">' },
            metadata: {}
          },
          {
            output_type: 'display_data',
            data: { 'image/png': PNG, 'text/plain': '<Figure 640x480>' },
            metadata: {}
          }
        ]
      },
      {
        cell_type: 'code',
        id: 'slider',
        metadata: { ...timing },
        execution_count: 3,
        source: 'import ipywidgets as w\nw.IntSlider(value=7, max=52)',
        outputs: [
          {
            output_type: 'display_data',
            data: {
              'application/vnd.jupyter.widget-view+json': {
                model_id: '5f1c0a3e9b2d4e6f8a7b6c5d4e3f2a1b',
                version_major: 2,
                version_minor: 0
              },
              'text/plain': 'IntSlider(value=7, max=52)'
            },
            metadata: {}
          }
        ]
      }
    ],
    metadata: {
      kernelspec: {
        display_name: 'Python 3 (ipykernel)',
        language: 'python',
        name: 'python3'
      },
      language_info: kernelLanguageInfo(),
      widgets: {
        'application/vnd.jupyter.widget-state+json': {
          state: {
            '5f1c0a3e9b2d4e6f8a7b6c5d4e3f2a1b': {
              model_name: 'IntSliderModel',
              model_module: '@jupyter-widgets/controls',
              model_module_version: '2.0.0',
              state: { value: 7, max: 52 }
            }
          },
          version_major: 2,
          version_minor: 0
        }
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** The source of a cell as one string. */
export function sourceOf(cell: ICell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The notebook panel shown in the main area. */
export function currentNotebook(page: Page): Locator {
  return page.locator('.jp-NotebookPanel:visible');
}

export function syncIndicator(page: Page): Locator {
  return currentNotebook(page).locator('.jp-Atrium-Gallery-syncIndicator');
}

export function publishButton(page: Page): Locator {
  return currentNotebook(page).locator('.jp-Atrium-Gallery-publishButton');
}

export async function expectStatus(page: Page, status: string): Promise<void> {
  await expect(syncIndicator(page)).toHaveAttribute('data-status', status, {
    timeout: 15000
  });
}

/** Click the toolbar button once it offers `command`. */
export async function clickPublishButton(
  page: Page,
  command: string
): Promise<void> {
  const button = publishButton(page);
  await expect(button).toHaveAttribute('data-action', command, {
    timeout: 15000
  });
  await button.locator('jp-button').click();
}

/** Open (or reveal) a file in JupyterLab, as the file browser would. */
export async function openFile(page: Page, filePath: string): Promise<void> {
  await page.evaluate(async filePath => {
    await (window as unknown as ILabWindow).jupyterapp.commands.execute(
      'docmanager:open',
      { path: filePath }
    );
  }, filePath);
}

/** Wait until the current notebook's kernel is idle (started and not busy). */
export async function waitForKernel(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            (
              window as unknown as {
                jupyterapp: {
                  shell: {
                    currentWidget: {
                      sessionContext?: { kernelDisplayStatus: string };
                    } | null;
                  };
                };
              }
            ).jupyterapp.shell.currentWidget?.sessionContext
              ?.kernelDisplayStatus
        ),
      { timeout: 60000 }
    )
    .toBe('idle');
}

/** A dialog of the gallery by its class (publishDialog, conflictDialog…). */
export function dialog(page: Page, kind: string): Locator {
  return page.locator(`.jp-Dialog.jp-Atrium-Gallery-${kind}`);
}

export function dialogButton(scope: Locator, name: string): Locator {
  return scope.locator('.jp-Dialog-button', { hasText: name });
}

/** The notebook file as the server has it (contents API). */
export async function readFile(
  page: Page,
  baseURL: string,
  filePath: string
): Promise<INotebook> {
  const model = await json<{ content: INotebook }>(
    await page.request.get(
      `${baseURL}/api/contents/${filePath
        .split('/')
        .map(encodeURIComponent)
        .join('/')}?type=notebook&content=1`
    )
  );
  return model.content;
}

export interface ILink {
  id: string;
  version: number;
  contentHash: string;
  role: 'owner' | 'copy';
  parentId?: string;
}

export function linkOf(notebook: INotebook): ILink | undefined {
  const atrium = notebook.metadata.atrium as { gallery?: ILink } | undefined;
  return atrium?.gallery;
}

/**
 * The notebook file once the server has it with a gallery link like `expected`. Publish and
 * Update save the link without holding up the dialog (a large notebook's save can take
 * seconds), so the file on the server can lag the sync indicator by one save.
 */
export async function readLinkedFile(
  page: Page,
  baseURL: string,
  filePath: string,
  expected: Partial<ILink> = {}
): Promise<INotebook> {
  let file: INotebook | null = null;
  await expect
    .poll(
      async () => {
        // Read mid-save, the file is not a notebook yet (400): that is "not yet" too.
        file = await readFile(page, baseURL, filePath).catch(() => null);
        const link = file && linkOf(file);
        return (
          !!link &&
          (Object.keys(expected) as (keyof ILink)[]).every(
            key => link[key] === expected[key]
          )
        );
      },
      { timeout: 15000 }
    )
    .toBe(true);
  return file!;
}

/** Publish the open notebook through the toolbar dialog (no likely secrets in it). */
export async function publishFromToolbar(
  page: Page,
  fields: { title: string; description?: string; tags?: string }
): Promise<void> {
  await clickPublishButton(page, 'atrium-gallery:publish');
  const publish = dialog(page, 'publishDialog');
  await expect(publish).toBeVisible();
  await publish
    .locator('[data-testid=atrium-gallery-title]')
    .fill(fields.title);
  if (fields.description) {
    await publish
      .locator('[data-testid=atrium-gallery-description]')
      .fill(fields.description);
  }
  if (fields.tags) {
    await publish
      .locator('[data-testid=atrium-gallery-tags]')
      .fill(fields.tags);
  }
  await dialogButton(publish, 'Publish').click();
  await expect(publish).toHaveCount(0, { timeout: 15000 });
}

/** Pictures for the guide: a larger window, and a left sidebar `width` pixels wide. */
export async function pictureLayout(page: Page, width = 420): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 1000 });
  const handle = page
    .locator('#jp-main-split-panel > .lm-SplitPanel-handle:visible')
    .first();
  const box = await handle.boundingBox();
  if (box) {
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(width, y, { steps: 5 });
    await page.mouse.up();
  }
}

/** Open the gallery panel on the browse tab. */
export async function openPanel(page: Page): Promise<Locator> {
  await exec(page, 'atrium-gallery:open-panel');
  const panel = page.locator('#jp-Atrium-Gallery-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * Galata's `waitForApplication` for specs that reload with documents open: Galata's own
 * allows 15 s and expects the Launcher to be the current tab, which it is not after a
 * reload with notebooks or gallery pages open. Here: up to a minute (CI shares two
 * cores), and any current tab will do.
 */
export async function waitForAnyTab(
  use: (
    wait: (page: Page, helpers: IJupyterLabPage) => Promise<void>
  ) => Promise<void>
): Promise<void> {
  await use(async (page: Page, helpers: IJupyterLabPage) => {
    await page
      .locator('#jupyterlab-splash')
      .waitFor({ state: 'detached', timeout: 60000 });
    await helpers.waitForCondition(
      async () =>
        (await page
          .locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')
          .count()) > 0,
      60000
    );
  });
}

/** The page of gallery notebook `id`, a document in the main area. */
export function galleryPage(page: Page, id: string): Locator {
  return page.locator(
    `#jp-main-dock-panel .jp-Atrium-GalleryPage .jp-Atrium-Gallery-detail[data-id="${id}"]`
  );
}

/** The main-area tabs titled `title` (a gallery notebook's page has its title). */
export function mainTabs(page: Page, title: string): Locator {
  return page.locator('#jp-main-dock-panel .lm-TabBar-tab', {
    has: page.locator('.lm-TabBar-tabLabel', { hasText: title })
  });
}

/** Bring the page of gallery notebook `id` to the front again (it opens if it was closed). */
export async function showGalleryPage(
  page: Page,
  id: string
): Promise<Locator> {
  await page.evaluate(async id => {
    // Not returned: the widget does not cross into the test.
    await (window as unknown as ILabWindow).jupyterapp.commands.execute(
      'atrium-gallery:open-notebook',
      { id }
    );
  }, id);
  const detail = galleryPage(page, id);
  await expect(detail).toBeVisible({ timeout: 20000 });
  return detail;
}

/**
 * Search in the panel and wait until the list shows the reply to this search (the search
 * is debounced: waiting only for the spinner to go could return before it even started,
 * with the previous list still shown).
 */
export async function searchInPanel(
  panel: Locator,
  text: string
): Promise<void> {
  const input = panel.locator('.jp-Atrium-Gallery-searchInput');
  await input.fill(text);
  await expect(panel.locator('.jp-Atrium-Gallery-search')).toHaveAttribute(
    'data-shown-query',
    text.trim(),
    { timeout: 20000 }
  );
  await expect(panel.locator('.jp-Atrium-Gallery-loading')).toHaveCount(0, {
    timeout: 10000
  });
}

/** The members of the current notebook panel `setSource` uses. */
interface INotebookShell {
  jupyterapp: {
    shell: {
      currentWidget: {
        content?: {
          widgets: ReadonlyArray<{
            model: { sharedModel: { setSource(source: string): void } };
          }>;
        };
      } | null;
    };
  };
}

/**
 * Replace the source of cell `index` of the current notebook (through its model, as an
 * edit by the user would; no editor auto-closing of brackets in the way).
 */
export async function setSource(
  page: Page,
  index: number,
  source: string
): Promise<void> {
  await page.evaluate(
    ({ index, source }) => {
      const widget = (window as unknown as INotebookShell).jupyterapp.shell
        .currentWidget;
      const cell = widget?.content?.widgets[index];
      if (!cell) {
        throw new Error(`no cell ${index} in the current notebook`);
      }
      cell.model.sharedModel.setSource(source);
    },
    { index, source }
  );
}

/** The members of the current notebook panel `settledMetadata` uses. */
interface IMetadataShell {
  jupyterapp: {
    shell: {
      currentWidget: {
        context?: { model?: { getMetadata(key: string): unknown } };
        sessionContext?: {
          session?: {
            kernel?: { spec: Promise<{ display_name: string } | undefined> };
          } | null;
        };
      } | null;
    };
  };
}

/**
 * Whether the current notebook's kernel has written its kernelspec (the kernel's own
 * display name) and language_info (with its version) into the notebook's metadata.
 */
async function kernelMetadataWritten(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const widget = (window as unknown as IMetadataShell).jupyterapp.shell
      .currentWidget;
    const model = widget?.context?.model;
    const kernel = widget?.sessionContext?.session?.kernel;
    if (!model || !kernel) {
      return false;
    }
    const spec = await kernel.spec;
    const written = model.getMetadata('kernelspec') as {
      display_name?: string;
    } | null;
    const info = model.getMetadata('language_info') as {
      version?: string;
    } | null;
    return (
      !!spec &&
      written?.display_name === spec.display_name &&
      typeof info?.version === 'string'
    );
  });
}

/**
 * Wait until JupyterLab has finished what it does to a notebook it opens: the kernel is up
 * and idle and has written its kernelspec and language_info into the notebook. Then check
 * the gallery sync once more, so the status reflects all of it.
 */
export async function waitForSettledNotebook(page: Page): Promise<void> {
  await waitForKernel(page);
  await expect
    .poll(() => kernelMetadataWritten(page), { timeout: 60000 })
    .toBe(true);
  await exec(page, 'atrium-gallery:check');
}
