/**
 * What the grader does for everyone once the layout is restored: the cell toolbar command
 * stays hidden and the authoring code unloaded unless the server says "instructor", and a
 * server with the grader turned off gets nothing at all.
 */
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import { CommandIds } from '../ids';
import { publishServerPolicy } from '../../common/__tests__/serverPolicy';

const getPolicy = jest.fn();
jest.mock('../api', () => ({ getPolicy: () => getPolicy() }));
const authoring = jest.fn();
jest.mock('../author', () => ({
  NotebookAuthoring: jest.fn().mockImplementation(() => authoring()),
  markCell: jest.fn(),
  markIcon: undefined
}));

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { start } = require('../start');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const author = require('../author');

function publish(disabledFeatures: string[] = []): void {
  publishServerPolicy({ disabledFeatures });
}

function setUp() {
  const commands = new CommandRegistry();
  const app = {
    commands,
    shell: { activateById: jest.fn() },
    resolveOptionalService: jest.fn(() => Promise.resolve(null))
  };
  const sender = {};
  const panel = {
    isDisposed: false,
    context: { ready: Promise.resolve() },
    disposed: new Signal(sender)
  };
  const tracker = {
    activeCell: { model: { metadata: {} } },
    currentWidget: panel,
    forEach: (fn: (p: unknown) => void) => fn(panel),
    widgetAdded: new Signal(sender),
    activeCellChanged: new Signal(sender),
    currentChanged: new Signal(sender)
  };
  return { app, commands, tracker, panel };
}

/** Resolves once the promises `start` chains (policy, import) have settled. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, 0));
}

describe('grader start', () => {
  beforeEach(() => {
    getPolicy.mockReset();
    authoring.mockReset();
    (author.NotebookAuthoring as jest.Mock).mockClear();
    document.body.className = '';
  });

  it('adds nothing when the server turned the grader off', async () => {
    publish(['grader']);
    const { app, commands, tracker } = setUp();
    start(app, tracker, null, null, null);
    await settle();
    expect(commands.hasCommand(CommandIds.mark)).toBe(false);
    expect(getPolicy).not.toHaveBeenCalled();
  });

  it('keeps the tools hidden and unloaded for a student', async () => {
    publish();
    getPolicy.mockResolvedValue({ instructor: false });
    const { app, commands, tracker } = setUp();
    start(app, tracker, null, null, null);
    await settle();
    expect(getPolicy).toHaveBeenCalledTimes(1);
    expect(commands.isVisible(CommandIds.mark)).toBe(false);
    for (const id of [
      CommandIds.preview,
      CommandIds.selfTest,
      CommandIds.release,
      CommandIds.importNotebook,
      CommandIds.exportNotebook
    ]) {
      expect(commands.isVisible(id)).toBe(false);
    }
    expect(author.NotebookAuthoring).not.toHaveBeenCalled();
    expect(document.body.classList).not.toContain(
      'jp-Atrium-Grader-instructor'
    );
  });

  it('keeps them hidden when the policy cannot be read, and asks again later', async () => {
    publish();
    getPolicy.mockRejectedValue(new Error('offline'));
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    const { app, commands, tracker, panel } = setUp();
    start(app, tracker, null, null, null);
    await settle();
    expect(commands.isVisible(CommandIds.mark)).toBe(false);
    getPolicy.mockResolvedValue({ instructor: true });
    tracker.widgetAdded.emit({ ...panel });
    await settle();
    expect(getPolicy).toHaveBeenCalledTimes(2);
    expect(commands.isVisible(CommandIds.mark)).toBe(true);
    warn.mockRestore();
  });

  it('shows the cell toolbar button and attaches the tools for an instructor', async () => {
    publish();
    getPolicy.mockResolvedValue({ instructor: true });
    const { app, commands, tracker } = setUp();
    start(app, tracker, null, null, null);
    await settle();
    expect(commands.isVisible(CommandIds.mark)).toBe(true);
    expect(commands.isToggled(CommandIds.mark)).toBe(false);
    expect(commands.label(CommandIds.mark, { toolbar: true })).toBe('');
    // Preview, self-test and release: in the notebook toolbar, for instructors.
    expect(commands.isVisible(CommandIds.preview)).toBe(true);
    expect(commands.label(CommandIds.selfTest, { toolbar: true })).toBe(
      'Self-test'
    );
    expect(commands.isEnabled(CommandIds.selfTest)).toBe(true);
    expect(commands.isVisible(CommandIds.release)).toBe(true);
    // Import and export for nbgrader: in the palette, for instructors.
    expect(commands.isVisible(CommandIds.importNotebook)).toBe(true);
    expect(commands.isVisible(CommandIds.exportNotebook)).toBe(true);
    expect(author.NotebookAuthoring).toHaveBeenCalledTimes(1);
    expect(document.body.classList).toContain('jp-Atrium-Grader-instructor');
    tracker.activeCell.model.metadata = { atrium: { grader: {} } };
    expect(commands.isToggled(CommandIds.mark)).toBe(true);
    await commands.execute(CommandIds.mark);
    expect(author.markCell).toHaveBeenCalled();
    expect(app.shell.activateById).toHaveBeenCalledWith(
      'jp-property-inspector'
    );
  });
});
