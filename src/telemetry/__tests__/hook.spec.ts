import { Signal } from '@lumino/signaling';

import { sha256Hex, utf8 } from '../../gallery/hash';
import { ExecutionHook, ExecutionSignals } from '../hook';
import { ITelemetryRecord, RECORD_KEYS } from '../record';

const GALLERY_ID = 'c'.repeat(32);

/** Just what the hook reads of a cell and a notebook. */
function cell(
  source: string,
  options: { type?: string; tags?: string[]; id?: string } = {}
) {
  let text = source;
  return {
    model: {
      type: options.type ?? 'code',
      id: options.id ?? 'cell-' + Math.random().toString(36).slice(2),
      getMetadata: (key: string) => (key === 'tags' ? options.tags : undefined),
      sharedModel: {
        getSource: () => text,
        setSource: (value: string) => {
          text = value;
        }
      }
    }
  };
}

function notebook(linked: boolean) {
  const atrium = linked
    ? {
        gallery: { id: GALLERY_ID, version: 4, contentHash: 'h', role: 'copy' }
      }
    : undefined;
  return {
    model: {
      getMetadata: (key: string) => (key === 'atrium' ? atrium : undefined)
    }
  };
}

function setup(active = true) {
  const executionScheduled = new Signal<unknown, unknown>({});
  const executed = new Signal<unknown, unknown>({});
  const records: ITelemetryRecord[] = [];
  let now = 1000;
  const state = { active };
  const hook = new ExecutionHook({
    // The real signals carry JupyterLab's Notebook and Cell; these carry what the hook reads.
    signals: { executionScheduled, executed } as unknown as ExecutionSignals,
    active: () => state.active,
    report: record => records.push(record),
    now: () => now
  });
  const run = async (
    nb: ReturnType<typeof notebook>,
    c: ReturnType<typeof cell>,
    result: {
      success: boolean;
      error?: { errorName?: string; errorValue?: string; traceback?: string[] };
    },
    ms = 25
  ) => {
    executionScheduled.emit({ notebook: nb, cell: c });
    now += ms;
    executed.emit({ notebook: nb, cell: c, ...result });
    // The fingerprint is computed asynchronously.
    await new Promise(resolve => setTimeout(resolve, 0));
  };
  return { hook, records, run, state };
}

const raised = (name: string) => ({
  success: false,
  error: {
    errorName: name,
    errorValue: 'CANARY-value',
    traceback: ['CANARY-tb']
  }
});

describe('the execution hook', () => {
  it('reports a run of a gallery notebook cell with exactly the record keys', async () => {
    const { records, run } = setup();
    const c = cell('x = "CANARY-source"\n', { id: 'abc' });
    await run(notebook(true), c, { success: true }, 40);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(Object.keys(record).sort()).toEqual([...RECORD_KEYS].sort());
    expect(record).toMatchObject({
      notebookId: GALLERY_ID,
      version: 4,
      cellId: 'abc',
      success: true,
      durationMs: 40,
      fingerprint: sha256Hex(utf8('x = "CANARY-source"\n'))
    });
    expect(JSON.stringify(record)).not.toContain('CANARY');
  });

  it('reports a raise as a failure and carries nothing of the error', async () => {
    const { records, run } = setup();
    await run(notebook(true), cell('1/0'), raised('ZeroDivisionError'));
    expect(records.map(r => r.success)).toEqual([false]);
    expect(JSON.stringify(records)).not.toMatch(/CANARY|ZeroDivision/);
  });

  it('counts a raise in a cell tagged raises-exception as expected', async () => {
    const { records, run } = setup();
    await run(
      notebook(true),
      cell('raise X', { tags: ['raises-exception'] }),
      raised('X')
    );
    expect(records.map(r => r.success)).toEqual(['expected']);
  });

  it('does not count interrupted or aborted runs', async () => {
    const { records, run } = setup();
    await run(notebook(true), cell('sleep'), raised('KeyboardInterrupt'));
    await run(notebook(true), cell('later'), { success: false, error: {} });
    expect(records).toEqual([]);
  });

  it('never reports an unlinked notebook, a markdown cell or a cell without a usable id', async () => {
    const { records, run } = setup();
    await run(notebook(false), cell('x'), { success: true });
    await run(notebook(true), cell('# title', { type: 'markdown' }), {
      success: true
    });
    await run(notebook(true), cell('x', { id: 'has spaces' }), {
      success: true
    });
    expect(records).toEqual([]);
  });

  it('fingerprints the source that ran, not an edit made while it ran', async () => {
    const { records } = setup();
    const executionScheduled = new Signal<unknown, unknown>({});
    const executed = new Signal<unknown, unknown>({});
    const hook = new ExecutionHook({
      signals: { executionScheduled, executed } as unknown as ExecutionSignals,
      active: () => true,
      report: record => records.push(record)
    });
    const c = cell('original');
    const nb = notebook(true);
    executionScheduled.emit({ notebook: nb, cell: c });
    c.model.sharedModel.setSource('edited while running');
    executed.emit({ notebook: nb, cell: c, success: true });
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(records[0].fingerprint).toBe(sha256Hex(utf8('original')));
    hook.dispose();
  });

  it('reports nothing while inactive (policy or choice), and nothing once disposed', async () => {
    const { records, run, state, hook } = setup(false);
    await run(notebook(true), cell('x'), { success: true });
    state.active = true;
    hook.dispose();
    await run(notebook(true), cell('x'), { success: true });
    expect(records).toEqual([]);
  });

  it('is busy while any code cell of any notebook runs, and says idle when the last ends', () => {
    const executionScheduled = new Signal<unknown, unknown>({});
    const executed = new Signal<unknown, unknown>({});
    let idle = 0;
    let now = 0;
    const hook = new ExecutionHook({
      signals: { executionScheduled, executed } as unknown as ExecutionSignals,
      active: () => true,
      report: () => undefined,
      idle: () => idle++,
      now: () => now
    });
    const linked = notebook(true);
    const other = notebook(false);
    const [a, b, md] = [
      cell('a'),
      cell('b'),
      cell('# m', { type: 'markdown' })
    ];
    executionScheduled.emit({ notebook: linked, cell: a });
    executionScheduled.emit({ notebook: other, cell: b });
    executionScheduled.emit({ notebook: linked, cell: md });
    expect(hook.busy).toBe(true);
    executed.emit({ notebook: linked, cell: md, success: true });
    executed.emit({ notebook: linked, cell: a, success: true });
    expect([hook.busy, idle]).toEqual([true, 0]);
    executed.emit({ notebook: other, cell: b, success: false, error: {} });
    expect([hook.busy, idle]).toEqual([false, 1]);
    // A run whose end never comes (its notebook closed) stops counting after 30 s quiet.
    executionScheduled.emit({ notebook: linked, cell: cell('c') });
    now += 29000;
    expect(hook.busy).toBe(true);
    now += 2000;
    expect(hook.busy).toBe(false);
    hook.dispose();
  });
});
