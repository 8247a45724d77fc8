/**
 * The gradebook command: hidden unless the server says "instructor"; opening takes the
 * assignment from its arguments (or asks, with none) and loads the gradebook's code only
 * then.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

const openGradebook = jest.fn();
jest.mock('../open', () => ({
  openGradebook: (...args: unknown[]) => openGradebook(...args)
}));

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { GRADEBOOK_COMMAND, registerGradebook } = require('../command');

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
    expect(openGradebook).toHaveBeenCalledWith(app, trans, 'f'.repeat(32));
    await commands.execute(GRADEBOOK_COMMAND, {});
    expect(openGradebook).toHaveBeenLastCalledWith(app, trans, null);
  });
});
