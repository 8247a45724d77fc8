/**
 * The gradebook command: hidden unless the server says "instructor"; opening takes the
 * assignment from its arguments (or asks, with none) and loads the gradebook's code only
 * then.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

const openGradebook = jest.fn();
jest.mock('../open', () => ({
  openGradebook: (...args: unknown[]) => openGradebook(...args)
}));

const {
  GRADEBOOK_COMMAND,
  GRADEBOOK_ID_PREFIX,
  GRADEBOOK_NAMESPACE,
  gradebookAssignment,
  registerGradebook
  // eslint-disable-next-line @typescript-eslint/no-var-requires
} = require('../command');

const trans = nullTranslator.load('jupyterlab_atrium');

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

function register(instructor: boolean) {
  const commands = new CommandRegistry();
  const app = { commands };
  registerGradebook(app, trans, () => Promise.resolve(instructor));
  return { app, commands };
}

describe('the gradebook command', () => {
  beforeEach(() => openGradebook.mockReset());

  it('is hidden from students', async () => {
    const { commands } = register(false);
    await settle();
    expect(commands.isVisible(GRADEBOOK_COMMAND)).toBe(false);
    expect(openGradebook).not.toHaveBeenCalled();
  });

  it('is shown to instructors and opens the assignment it is given', async () => {
    const { app, commands } = register(true);
    await settle();
    expect(commands.isVisible(GRADEBOOK_COMMAND)).toBe(true);
    await commands.execute(GRADEBOOK_COMMAND, { assignment: 'f'.repeat(32) });
    expect(openGradebook).toHaveBeenCalledWith(
      app,
      trans,
      'f'.repeat(32),
      expect.anything()
    );
    await commands.execute(GRADEBOOK_COMMAND, {});
    expect(openGradebook).toHaveBeenLastCalledWith(
      app,
      trans,
      null,
      expect.anything()
    );
  });

  it('gives the restorer what reopens a gradebook tab: its assignment id', async () => {
    const restore = jest.fn(() => Promise.resolve());
    const commands = new CommandRegistry();
    registerGradebook({ commands }, trans, () => Promise.resolve(true), {
      restore
    });
    const [tracker, options] = restore.mock.calls[0] as unknown as [
      { namespace: string },
      {
        command: string;
        args: (widget: Widget) => ReadonlyPartialJSONObject;
        name: (widget: Widget) => string;
      }
    ];
    expect(tracker.namespace).toBe(GRADEBOOK_NAMESPACE);
    expect(options.command).toBe(GRADEBOOK_COMMAND);
    const tab = new Widget();
    tab.id = `${GRADEBOOK_ID_PREFIX}${'a'.repeat(32)}`;
    expect(options.args(tab)).toEqual({ assignment: 'a'.repeat(32) });
    expect(options.name(tab)).toBe('a'.repeat(32));
    // What the restorer saved is what the command opens.
    await commands.execute(options.command, options.args(tab));
    expect(openGradebook).toHaveBeenLastCalledWith(
      expect.anything(),
      trans,
      'a'.repeat(32),
      tracker
    );
    expect(gradebookAssignment(new Widget())).toBe('');
  });
});
