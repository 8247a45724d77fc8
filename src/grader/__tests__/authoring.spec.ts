/**
 * The instructor's authoring tools without a notebook: when lint runs (debounced), what
 * the cells and the points total show, and what marking a cell and the form's edits
 * write into `metadata.atrium.grader` (held to the rules' own validation).
 */
import { nullTranslator } from '@jupyterlab/translation';

import { cellStates, pointsState } from '../findings';
import {
  answerMark,
  completed,
  exerciseFor,
  nextExerciseId,
  withGrader
} from '../mark';
import { PointsTotal } from '../points';
import { cellProblems, IFinding, lint, summary } from '../rules';
import { LintScheduler } from '../schedule';
import { DEFAULT_SETTINGS, normalizeSettings } from '../settings';
import { clearCell, showCellState } from '../view';

const trans = nullTranslator.load('jupyterlab_atrium');

function cell(source: string, grader?: object) {
  return {
    cell_type: 'code',
    source,
    metadata: grader ? { atrium: { grader } } : {},
    outputs: [],
    execution_count: null
  };
}

function notebook(...cells: object[]) {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

const answer = (exercise: string) => ({
  version: 1,
  role: 'answer',
  exercise
});

describe('LintScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs once the changes pause, not on every change', async () => {
    const run = jest.fn();
    const scheduler = new LintScheduler(run, 300);
    for (let i = 0; i < 10; i++) {
      scheduler.poke();
      jest.advanceTimersByTime(100);
    }
    expect(run).not.toHaveBeenCalled();
    jest.advanceTimersByTime(300);
    await Promise.resolve();
    expect(run).toHaveBeenCalledTimes(1);
    expect(scheduler.pending).toBe(false);
  });

  it('flush runs at once and only when something changed', async () => {
    const run = jest.fn();
    const scheduler = new LintScheduler(run, 300);
    await scheduler.flush();
    expect(run).not.toHaveBeenCalled();
    scheduler.poke();
    await scheduler.flush();
    expect(run).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(1); // the pending timer was cancelled
  });

  it('a change during a run schedules one more run after it', async () => {
    let finish: () => void = () => undefined;
    const run = jest.fn(() => new Promise<void>(resolve => (finish = resolve)));
    const scheduler = new LintScheduler(run, 50);
    scheduler.poke();
    jest.advanceTimersByTime(50);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.poke();
    jest.advanceTimersByTime(50); // still running: no second run yet
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(50);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('does nothing once disposed', () => {
    const run = jest.fn();
    const scheduler = new LintScheduler(run, 10);
    scheduler.poke();
    scheduler.dispose();
    scheduler.poke();
    jest.advanceTimersByTime(100);
    expect(run).not.toHaveBeenCalled();
  });

  it('takes a new delay', () => {
    const run = jest.fn();
    const scheduler = new LintScheduler(run, 1000);
    scheduler.setDelay(10);
    scheduler.poke();
    jest.advanceTimersByTime(10);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('settings', () => {
  it('falls back to the schema defaults for anything missing or of the wrong type', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(
      normalizeSettings({ lintAsYouType: 'no', lintDelayMs: 'soon' })
    ).toEqual(DEFAULT_SETTINGS);
    expect(
      normalizeSettings({
        lintAsYouType: false,
        lintDelayMs: 99999,
        showPointsTotal: false,
        checkTimeoutSeconds: 0.2,
        selfTestTimeoutSeconds: 700
      })
    ).toEqual({
      lintAsYouType: false,
      lintDelayMs: 5000,
      showPointsTotal: false,
      checkTimeoutSeconds: 1,
      selfTestTimeoutSeconds: 600
    });
  });

  it('has the defaults of schema/grader.json', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const schema = require('../../../schema/grader.json');
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      expect(schema.properties[key].default).toEqual(value);
    }
    expect(Object.keys(schema.properties).sort()).toEqual(
      Object.keys(DEFAULT_SETTINGS).sort()
    );
  });
});

describe('marking cells', () => {
  it('numbers new exercises q1, q2, … skipping ids in use', () => {
    expect(nextExerciseId([])).toBe('q1');
    expect(nextExerciseId(['q1', 'q3'])).toBe('q2');
  });

  it('marks a cell as an answer with valid metadata and a fresh id', () => {
    const cells = [{ atrium: { grader: answer('q1') } }, {}];
    const mark = answerMark(cells, 1);
    expect(mark).toEqual(answer('q2'));
    expect(cellProblems(mark)).toEqual([]);
  });

  it('a tests cell joins the answer above it', () => {
    const cells = [{ atrium: { grader: answer('sq') } }, {}, {}];
    expect(exerciseFor(cells, 2, 'tests')).toBe('sq');
    expect(exerciseFor(cells, 0, 'tests')).toBe('q1');
  });

  it('completes what the form writes: the version and an exercise id', () => {
    const cells = [
      { atrium: { grader: answer('q1') } },
      { atrium: { grader: { role: 'tests', points: 2 } } }
    ];
    const next = completed(cells, 1);
    expect(next).toEqual({
      version: 1,
      role: 'tests',
      points: 2,
      exercise: 'q1'
    });
    expect(cellProblems(next)).toEqual([]);
    expect(completed(cells, 0)).toBeUndefined(); // already complete
  });

  it('an empty exercise id from the form gets a fresh one', () => {
    const cells = [
      { atrium: { grader: { version: 1, role: 'manual', exercise: '' } } }
    ];
    expect(completed(cells, 0)).toEqual({
      version: 1,
      role: 'manual',
      exercise: 'q1'
    });
  });

  it('an empty kind in the form unmarks the cell', () => {
    const cells = [{ atrium: { grader: { exercise: 'q1' }, other: 1 } }];
    expect(completed(cells, 0)).toBeNull();
    expect(withGrader(cells[0], null)).toEqual({ other: 1 });
    expect(withGrader({ atrium: { grader: {} } }, null)).toBeNull();
  });

  it('leaves invalid values for lint to report', () => {
    const cells = [{ atrium: { grader: { version: 1, role: 'answr' } } }];
    expect(completed(cells, 0)).toBeUndefined();
  });
});

describe('lint on the cells', () => {
  const broken = notebook(
    cell('x = 1'),
    cell('def f():\n    ### BEGIN SOLUTION\n    return 1\n', answer('q1')),
    cell('assert f() == 1', { version: 1, role: 'tests', exercise: 'q1' })
  );

  it('gives each cell its findings, errors first', () => {
    const states = cellStates(lint(broken), 3, trans);
    expect(states[0]).toEqual({ severity: null, lines: [] });
    expect(states[1].severity).toBe('error');
    expect(states[1].lines[0]).toMatch(/^Line 2: /);
    expect(states[2].severity).toBe('error');
    expect(states[2].lines.join()).toContain('no points');
  });

  it('shows a state on a cell and clears it', () => {
    const node = document.createElement('div');
    const footer = document.createElement('div');
    footer.className = 'jp-CellFooter';
    node.appendChild(footer);
    const view = { node };
    showCellState(view, { severity: 'error', lines: ['Line 2: unclosed'] });
    expect(node.classList.contains('jp-Atrium-Grader-mod-error')).toBe(true);
    const message = footer.querySelector('.jp-Atrium-Grader-lint');
    expect(message?.textContent).toBe('Line 2: unclosed');
    expect((message as HTMLElement).dataset.severity).toBe('error');
    showCellState(view, { severity: 'warning', lines: ['careful'] });
    expect(node.classList.contains('jp-Atrium-Grader-mod-error')).toBe(false);
    expect(node.classList.contains('jp-Atrium-Grader-mod-warning')).toBe(true);
    expect(footer.querySelectorAll('.jp-Atrium-Grader-lint')).toHaveLength(1);
    clearCell(view);
    expect(node.className).toBe('');
    expect(footer.children).toHaveLength(0);
  });
});

describe('the points total', () => {
  const good = notebook(
    cell('### BEGIN SOLUTION\nx = 1\n### END SOLUTION', answer('q1')),
    cell('assert x == 1', {
      version: 1,
      role: 'tests',
      exercise: 'q1',
      points: 2
    }),
    cell('assert x > 0', {
      version: 1,
      role: 'tests',
      exercise: 'q1',
      points: 1.5
    }),
    cell('...', { version: 1, role: 'manual', exercise: 'q2', points: 4 })
  );

  it('sums the points of every exercise', () => {
    const findings = lint(good);
    const state = pointsState(summary(good), findings, trans);
    expect(state.visible).toBe(true);
    expect(state.text).toBe('7.5 points');
    expect(state.errors).toBe(0);
    expect(state.title).toContain('2 exercises, 7.5 points in total');
    expect(state.title).toContain('q1: 3.5 points');
  });

  it('counts lint errors beside the total', () => {
    const findings: IFinding[] = [
      {
        rule: 'unclosed-marker',
        severity: 'error',
        cell: 0,
        cellId: null,
        line: 1,
        message: 'x'
      }
    ];
    const state = pointsState(summary(good), findings, trans);
    expect(state.text).toBe('7.5 points · 1 problem');
    expect(state.errors).toBe(1);
  });

  it('is hidden in a notebook without exercises', () => {
    const plain = notebook(cell('x = 1'));
    const state = pointsState(summary(plain), lint(plain), trans);
    expect(state.visible).toBe(false);
    expect(state.text).toBe('0 points');
  });

  it('the toolbar item follows its state', () => {
    const item = new PointsTotal();
    expect(item.isHidden).toBe(true);
    item.state = pointsState(summary(good), [], trans);
    expect(item.isHidden).toBe(false);
    expect(item.hasClass('jp-Atrium-Grader-mod-error')).toBe(false);
    item.state = { ...item.state, errors: 2 };
    expect(item.hasClass('jp-Atrium-Grader-mod-error')).toBe(true);
    item.state = pointsState(summary(notebook()), [], trans);
    expect(item.isHidden).toBe(true);
    item.dispose();
  });
});
