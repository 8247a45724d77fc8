/**
 * What start.ts does for a student's copy of an assignment: the student tools (Submit, the
 * Exercises panel) are loaded for a copy and only for one, and each Check's result is sent
 * to the Exercises panel.
 */
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import { CommandIds } from '../ids';
import { CHECKED_EVENT } from '../student/events';
import { publishServerPolicy } from '../../common/__tests__/serverPolicy';

jest.mock('../api', () => ({
  getPolicy: () => Promise.resolve({ instructor: false })
}));
const attachStudent = jest.fn();
jest.mock('../student/attach', () => ({
  attachStudent: (...args: unknown[]) => attachStudent(...args)
}));
jest.mock('../check/ui', () => ({
  checkCell: () =>
    Promise.resolve({
      tone: 'pass',
      headline: '1 of 1 public check passed',
      lines: []
    })
}));

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { start } = require('../start');

const COPY = { atrium: { assignment: { id: 'f'.repeat(32), version: 1 } } };

function setUp(metadata: unknown) {
  publishServerPolicy({ disabledFeatures: [] });
  const sender = {};
  const panel = {
    isDisposed: false,
    context: { ready: Promise.resolve(), path: 'assignments/Squares.ipynb' },
    model: { metadata },
    disposed: new Signal(sender)
  };
  const tracker = {
    activeCell: {
      model: { metadata: { atrium: { grader: { exercise: 'q1' } } } }
    },
    currentWidget: panel,
    forEach: (fn: (p: unknown) => void) => fn(panel),
    widgetAdded: new Signal(sender),
    activeCellChanged: new Signal(sender),
    currentChanged: new Signal(sender)
  };
  const app = {
    commands: new CommandRegistry(),
    shell: { activateById: jest.fn(), add: jest.fn() },
    resolveOptionalService: jest.fn(() => Promise.resolve(null))
  };
  return { app, tracker, panel };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, 0));
}

describe('a student’s copy of an assignment', () => {
  beforeEach(() => attachStudent.mockReset());

  it('gets the student tools', async () => {
    const { app, tracker, panel } = setUp(COPY);
    start(app, tracker, null, null, null);
    await settle();
    expect(attachStudent).toHaveBeenCalledTimes(1);
    expect(attachStudent.mock.calls[0][3]).toBe(panel);
  });

  it('a notebook that is no copy does not load them', async () => {
    const { app, tracker } = setUp({ atrium: { gallery: {} } });
    start(app, tracker, null, null, null);
    await settle();
    expect(attachStudent).not.toHaveBeenCalled();
  });

  it('each Check’s result goes to the Exercises panel', async () => {
    const { app, tracker } = setUp(COPY);
    start(app, tracker, null, null, null);
    await settle();
    const seen: unknown[] = [];
    const listener = (event: Event) => seen.push((event as CustomEvent).detail);
    window.addEventListener(CHECKED_EVENT, listener);
    await app.commands.execute(CommandIds.check);
    window.removeEventListener(CHECKED_EVENT, listener);
    expect(seen).toEqual([
      {
        path: 'assignments/Squares.ipynb',
        exercise: 'q1',
        tone: 'pass',
        headline: '1 of 1 public check passed'
      }
    ]);
  });
});
