import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PromiseDelegate } from '@lumino/coreutils';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { OPEN_PAGE_COMMAND, pageWidgetId } from '../args';
import { registerPages } from '../register';

interface IRestoreOptions {
  command: string;
  args: (widget: Widget) => unknown;
  name: (widget: Widget) => string;
}

function setup() {
  const restored = new PromiseDelegate<void>();
  const added: { widget: Widget; area: string; activate?: boolean }[] = [];
  const activated: string[] = [];
  const shell = {
    add: (widget: Widget, area: string, options?: { activate?: boolean }) => {
      added.push({ widget, area, activate: options?.activate });
      Widget.attach(widget, document.body);
    },
    activateById: (id: string) => activated.push(id)
  };
  const app = {
    commands: new CommandRegistry(),
    shell,
    restored: restored.promise
  } as unknown as JupyterFrontEnd;
  let restoreOptions: IRestoreOptions | null = null;
  const restorer = {
    restore: jest.fn(async (_tracker: unknown, options: IRestoreOptions) => {
      restoreOptions = options;
    })
  };
  const made: string[] = [];
  const open = registerPages({
    app,
    restorer: restorer as never,
    area: 'main',
    label: 'Open Gallery Notebook',
    create: async id => {
      made.push(id);
      return new Widget();
    }
  });
  return {
    app,
    open,
    added,
    activated,
    made,
    restored,
    restorer,
    restoreOptions: () => restoreOptions!
  };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('registerPages', () => {
  it('makes one page per notebook; opening it again activates it', async () => {
    const t = setup();
    t.restored.resolve();
    await t.app.restored;
    // Two quick opens (a double click) while the page's code loads: still one page.
    const [a, b] = await Promise.all([t.open('nb1'), t.open('nb1')]);
    expect(a).toBe(b);
    expect(t.made).toEqual(['nb1']);
    const again = await t.app.commands.execute(OPEN_PAGE_COMMAND, {
      id: 'nb1'
    });
    expect(again).toBe(a);
    expect(t.made).toEqual(['nb1']);
    expect(a.id).toBe(pageWidgetId('nb1'));
    expect(t.added).toEqual([{ widget: a, area: 'main', activate: true }]);
    expect(t.activated).toEqual([a.id, a.id, a.id]);

    await t.open('nb2');
    expect(t.made).toEqual(['nb1', 'nb2']);
  });

  it('gives the restorer the command and arguments that open the same page again', async () => {
    const t = setup();
    expect(t.restorer.restore).toHaveBeenCalledTimes(1);
    const options = t.restoreOptions();
    expect(options.command).toBe(OPEN_PAGE_COMMAND);
    // Restored before the layout is: the saved layout decides what is current.
    const page = (await t.app.commands.execute(
      options.command,
      (await Promise.resolve(
        options.args(Object.assign(new Widget(), { id: pageWidgetId('nb7') }))
      )) as never
    )) as Widget;
    expect(page.id).toBe(pageWidgetId('nb7'));
    expect(options.name(page)).toBe('nb7');
    expect(options.args(page)).toEqual({ id: 'nb7' });
    expect(t.added[0].activate).toBe(false);
    expect(t.activated).toEqual([]);
  });

  it('fails on saved state without a valid id, so the restorer forgets it', async () => {
    const t = setup();
    await expect(
      t.app.commands.execute(OPEN_PAGE_COMMAND, { id: '../x' })
    ).rejects.toThrow('no valid notebook id');
    expect(t.made).toEqual([]);
  });
});
