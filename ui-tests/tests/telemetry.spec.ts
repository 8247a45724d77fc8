/**
 * Execution health in a real JupyterLab (issue 13): a user turns reporting on (the test
 * server's policy is opt-in), runs the cells of a gallery notebook that raise with a canary
 * in the error message, the traceback and the source, and the gallery's health follows.
 * Every request leaving the page is captured: the canary appears in none but the user's own
 * notebook traffic, and each record holds exactly the allowed keys. A reload mid-batch
 * loses nothing and counts nothing twice. Also takes the user guide's picture of the page.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Request } from '@playwright/test';
import * as path from 'path';

import {
  clickPublishButton,
  dialog,
  dialogButton,
  json,
  openFile,
  openPanel,
  searchInPanel,
  plainNotebook,
  SCREENSHOTS,
  shutdownKernels,
  waitForKernel
} from './gallery-helpers';

const CANARY = 'CANARY7f3a';
const KEYS = [
  'cellId',
  'durationMs',
  'eventId',
  'fingerprint',
  'notebookId',
  'success',
  'timestamp',
  'version'
];
const PLUGIN = 'jupyterlab-atrium:telemetry';
/** Where the user's own notebook and kernel traffic goes: the canary belongs there. */
const OWN_TRAFFIC =
  /\/api\/(contents|kernels|sessions)\b|\/atrium\/api\/service\/gallery\//;

/** The members of Galata's `window.jupyterapp` these tests use (no `any` needed). */
interface ILabWindow {
  jupyterapp: {
    serviceManager: {
      settings: { save(id: string, raw: string): Promise<void> };
    };
    shell: {
      currentWidget: {
        model?: { getMetadata(key: string): unknown };
        content?: { activeCellIndex: number };
      } | null;
    };
    commands: { execute(id: string): Promise<unknown> };
  };
}

interface IHealth {
  label: string;
  counts: {
    executions: number;
    passes: number;
    failures: number;
    expected: number;
  };
}

test.afterEach(async ({ request, baseURL }) =>
  shutdownKernels(request, baseURL!)
);

/** Save the user's telemetry settings and reload, as the settings are read at start. */
async function reportWith(
  page: IJupyterLabPageFixture,
  raw: Record<string, unknown>
): Promise<void> {
  await page.evaluate(
    ({ id, raw }) =>
      (window as unknown as ILabWindow).jupyterapp.serviceManager.settings.save(
        id,
        raw
      ),
    { id: PLUGIN, raw: JSON.stringify(raw) }
  );
  await reload(page);
}

/**
 * Run each of the first `count` cells on its own, as Shift+Enter would (Run All would stop
 * at the first cell that raises), each to its end.
 */
async function runCells(
  page: IJupyterLabPageFixture,
  count: number
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await page.evaluate(async index => {
      const app = (window as unknown as ILabWindow).jupyterapp;
      app.shell.currentWidget!.content!.activeCellIndex = index;
      await app.commands.execute('notebook:run-cell');
    }, i);
  }
}

async function reload(page: IJupyterLabPageFixture): Promise<void> {
  // Galata's own wait is for the Launcher, which a restored notebook hides.
  await page.reload({ waitForIsReady: false });
  await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
}

/** Write a notebook with these code cells, open it and publish it: a linked copy. */
async function publishNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string,
  cells: Array<{ source: string; tags?: string[] }>
): Promise<string> {
  const notebook = plainNotebook(
    cells.map(c => ({ type: 'code', source: c.source }))
  );
  cells.forEach((c, i) => {
    if (c.tags) {
      notebook.cells[i].metadata = { tags: c.tags };
    }
  });
  await page.contents.uploadContent(
    JSON.stringify(notebook),
    'text',
    `${tmpPath}/${name}`
  );
  await openFile(page, `${tmpPath}/${name}`);
  await waitForKernel(page);
  await clickPublishButton(page, 'atrium-gallery:publish');
  const publish = dialog(page, 'publishDialog');
  await publish
    .locator('[data-testid=atrium-gallery-title]')
    .fill(`Telemetry ${name}`);
  await dialogButton(publish, 'Publish').click();
  await expect(publish).toHaveCount(0, { timeout: 15000 });
  // The link is in the notebook's metadata once the gallery answered.
  const galleryId = () =>
    page.evaluate(() => {
      const app = (window as unknown as ILabWindow).jupyterapp;
      const atrium = app.shell.currentWidget?.model?.getMetadata('atrium') as
        { gallery?: { id?: string } } | undefined;
      return atrium?.gallery?.id ?? null;
    });
  await expect.poll(galleryId, { timeout: 15000 }).toMatch(/^[0-9a-f]{32}$/);
  return (await galleryId()) as string;
}
async function health(
  page: IJupyterLabPageFixture,
  baseURL: string,
  id: string
) {
  return json<IHealth>(
    await page.request.get(
      `${baseURL}/atrium/api/service/health/notebooks/${id}`
    )
  );
}

function telemetryPosts(requests: Request[]): Request[] {
  return requests.filter(
    r => r.method() === 'POST' && r.url().includes('/atrium/api/telemetry')
  );
}

test.describe('Execution health', () => {
  test('reports only whether each cell raised, and the notebook health follows', async ({
    page,
    baseURL,
    tmpPath
  }) => {
    await reportWith(page, { report: 'yes', flushIntervalSeconds: 5 });

    const id = await publishNotebook(page, tmpPath, 'privacy.ipynb', [
      { source: 'x = 1' },
      { source: `raise ValueError("${CANARY} in the message")` },
      { source: `secret = "${CANARY} in the source"` },
      {
        source: `def ${CANARY}_function():\n    return 1 / 0\n${CANARY}_function()`
      },
      { source: 'raise KeyError("meant to")', tags: ['raises-exception'] }
    ]);
    // The first time it is active, a notice says what is sent.
    await expect(
      page.locator('.jp-toast-message', {
        hasText: 'only whether'
      })
    ).toBeVisible();

    const requests: Request[] = [];
    page.on('request', request => requests.push(request));
    await runCells(page, 5);
    await expect
      .poll(
        async () => {
          const { counts } = await health(page, baseURL!, id);
          // An expected failure is stored but not counted as an execution.
          return counts.passes + counts.failures + counts.expected;
        },
        {
          timeout: 30000
        }
      )
      .toBe(5);
    const counts = (await health(page, baseURL!, id)).counts;
    expect(counts).toMatchObject({ passes: 2, failures: 2, expected: 1 });

    const posts = telemetryPosts(requests);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.length).toBeLessThanOrEqual(2);
    const records = posts.flatMap(
      r => (JSON.parse(r.postData() ?? '{}') as { records: object[] }).records
    );
    expect(records).toHaveLength(5);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(KEYS);
    }
    for (const request of requests) {
      if (!OWN_TRAFFIC.test(request.url())) {
        expect(`${request.url()} ${request.postData() ?? ''}`).not.toContain(
          CANARY
        );
      }
    }
    // What the service answers about the notebook carries none of it either.
    for (const endPoint of ['', '/cells', '/daily']) {
      const reply = await page.request.get(
        `${baseURL}/atrium/api/service/health/notebooks/${id}${endPoint}`
      );
      expect(await reply.text()).not.toContain(CANARY);
    }

    // Help > What Atrium Reports shows the user their own records, as sent.
    await page.menu.clickMenuItem('Help>What Atrium Reports');
    const helpPage = page.locator('.jp-AtriumTelemetry-page');
    await expect(helpPage).toBeVisible();
    await expect(
      helpPage.locator('.jp-AtriumTelemetry-records tbody tr')
    ).toHaveCount(5);
    // ... and what the gallery holds about them, from the service (other specs' runs of
    // this user may be older entries of the list: the newest five are these).
    const held = helpPage.locator('.jp-AtriumTelemetry-heldRecords tbody tr');
    await expect.poll(() => held.count()).toBeGreaterThanOrEqual(5);
    for (let row = 0; row < 5; row++) {
      await expect(held.nth(row)).toContainText(id);
    }
    await expect(helpPage).not.toContainText(CANARY);
    if (SCREENSHOTS) {
      // The notice is answered, and the page tall enough to show the records too.
      await page
        .getByRole('button', { name: 'Hide notification' })
        .click({ timeout: 5000 })
        .catch(() => undefined);
      await page.setViewportSize({ width: 1100, height: 1500 });
      await page
        .locator('.jp-AtriumTelemetry-content')
        .screenshot({ path: path.join(SCREENSHOTS, 'telemetry-page.png') });
    }
  });

  test('running a gallery notebook turns its badge in the gallery healthy within seconds', async ({
    page,
    baseURL,
    tmpPath
  }) => {
    await reportWith(page, { report: 'yes', flushIntervalSeconds: 5 });
    const cells = [
      'a = 1',
      'b = a + 1',
      'c = b * 2',
      'd = [a, b, c]',
      'sum(d)'
    ];
    const id = await publishNotebook(
      page,
      tmpPath,
      'badge.ipynb',
      cells.map(source => ({ source }))
    );
    const panel = await openPanel(page);
    const badge = panel.locator(
      `.jp-Atrium-Gallery-result:has(#jp-Atrium-Gallery-result-${id}) .jp-Atrium-Gallery-health`
    );
    await searchInPanel(panel, 'Telemetry badge');
    await expect(badge).toHaveAttribute('data-health', 'unknown');

    await runCells(page, cells.length);
    await expect
      .poll(async () => (await health(page, baseURL!, id)).label, {
        timeout: 30000
      })
      .toBe('healthy');
    // Every gallery summary carries it (what the badge shows)...
    await expect
      .poll(
        async () =>
          (
            await json<{
              items: Array<{ id: string; health: { label: string } }>;
            }>(
              await page.request.get(
                `${baseURL}/atrium/api/service/gallery/notebooks?q=${encodeURIComponent('Telemetry badge')}`
              )
            )
          ).items.find(item => item.id === id)?.health.label,
        { timeout: 30000 }
      )
      .toBe('healthy');
    // ...and the open panel shows it without the user doing anything.
    await expect(badge).toHaveAttribute('data-health', 'healthy');
    await expect(badge).toHaveAttribute('aria-label', /healthy/i);
  });

  test('a reload mid-batch loses nothing and counts nothing twice', async ({
    page,
    baseURL,
    tmpPath
  }) => {
    // A long interval: the records are still in the browser when the page reloads.
    await reportWith(page, { report: 'yes', flushIntervalSeconds: 600 });
    const id = await publishNotebook(page, tmpPath, 'reload.ipynb', [
      { source: 'a = 1' },
      { source: 'b = 2' },
      { source: '1 / 0' }
    ]);
    await runCells(page, 3);
    await reload(page);
    // The restored notebook loads the hook again; the outbox sends what the last page held.
    await expect
      .poll(async () => (await health(page, baseURL!, id)).counts.executions, {
        timeout: 30000
      })
      .toBe(3);
    // And no more arrive later (a second copy would be dropped by its event id anyway).
    await reload(page);
    const after = await health(page, baseURL!, id);
    expect(after.counts).toMatchObject({
      executions: 3,
      passes: 2,
      failures: 1
    });
    await page.evaluate(
      id =>
        (
          window as unknown as ILabWindow
        ).jupyterapp.serviceManager.settings.save(id, '{}'),
      PLUGIN
    );
  });
});
