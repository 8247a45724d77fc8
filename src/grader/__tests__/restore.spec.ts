/**
 * What the grader registers before the layout is restored (restore.ts): the gradebook
 * command and the Exercises panel's, each with the restorer, so a reload brings them back;
 * nothing when the server has the grader off.
 */
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

jest.mock('../api', () => ({
  getPolicy: () => Promise.resolve({ instructor: false })
}));
const showExercises = jest.fn();
jest.mock('../student/attach', () => ({
  showExercises: (...args: unknown[]) => showExercises(...args)
}));

import { GRADEBOOK_COMMAND } from '../gradebook/command';
import {
  EXERCISES_COMMAND,
  registerRestorable,
  trackExercises
} from '../restore';
import { publishServerPolicy } from '../../common/__tests__/serverPolicy';

function serverWith(disabledFeatures: string[]): void {
  publishServerPolicy({ disabledFeatures });
}

function setUp() {
  const restore = jest.fn(() => Promise.resolve());
  const commands = new CommandRegistry();
  const app = { commands } as never;
  const notebooks = {} as never;
  return { app, commands, notebooks, restore };
}

describe('registerRestorable', () => {
  it('gives the restorer the gradebook tabs and the Exercises panel', async () => {
    serverWith([]);
    const { app, commands, notebooks, restore } = setUp();
    registerRestorable(app, notebooks, null, { restore } as never);
    const calls = restore.mock.calls as unknown as [
      { namespace: string; has(widget: Widget): boolean },
      { command: string; name: (widget: Widget) => string }
    ][];
    expect(calls.map(([tracker, options]) => options.command)).toEqual([
      GRADEBOOK_COMMAND,
      EXERCISES_COMMAND
    ]);
    const [tracker, options] = calls[1];
    expect(tracker.namespace).toBe('atrium-grader-exercises');

    // The panel, once shown, is tracked under one name: one panel for all copies.
    const panel = new Widget();
    await trackExercises(panel);
    expect(tracker.has(panel)).toBe(true);
    expect(options.name(panel)).toBe('panel');

    // The restorer's command shows the panel (its code loaded then).
    await commands.execute(EXERCISES_COMMAND);
    expect(showExercises).toHaveBeenCalledWith(
      app,
      notebooks,
      expect.anything()
    );
  });

  it('registers nothing with the grader off', () => {
    serverWith(['grader']);
    const { app, commands, notebooks, restore } = setUp();
    const isInstructor = registerRestorable(app, notebooks, null, {
      restore
    } as never);
    expect(typeof isInstructor).toBe('function');
    expect(restore).not.toHaveBeenCalled();
    expect(commands.hasCommand(GRADEBOOK_COMMAND)).toBe(false);
    expect(commands.hasCommand(EXERCISES_COMMAND)).toBe(false);
  });
});
