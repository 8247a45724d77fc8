import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { FileBrowser, IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { Contents, ContentsManager } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { Panel, Widget } from '@lumino/widgets';

import { LazyPanel } from '../../common/lazyPanel';
import { CommandIDs } from '../ids';
import { browserId, readSettings } from '../plugin';
import { start as startPlugin } from '../start';
import { IDriveInfo } from '../types';
import { fakeServer, sampleDrive, samplePolicy } from './fake';
import { publishServerPolicy } from '../../common/__tests__/serverPolicy';

const API = 'atrium/api/netdrive';

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(probe()).toBe(true);
}

function drive(name: string, extra: Partial<IDriveInfo> = {}): IDriveInfo {
  return { ...sampleDrive, name, displayName: `Drive ${name}`, ...extra };
}

describe('the netdrive plugin', () => {
  let left: Widget[];
  let active: string[];
  let drives: Contents.IDrive[];
  let created: { id: string; options: IFileBrowserFactory.IOptions }[];
  const toolbars = new Map<string, string[]>();
  let refreshed: string[] = [];

  function start(
    items: IDriveInfo[],
    { restored = Promise.resolve(), attach = true } = {}
  ) {
    const { settings, seen } = fakeServer({
      [`GET ${API}/drives`]: { status: 200, body: { items } },
      [`DELETE ${API}/drives/a/contents/sub/x.txt`]: { status: 204 },
      [`DELETE ${API}/drives/a/contents/other/y.txt`]: { status: 204 },
      [`GET ${API}/drives/a/contents/sub/x.txt`]: {
        status: 200,
        body: {
          name: 'x.txt',
          path: 'sub/x.txt',
          type: 'file',
          format: 'text',
          content: 'on the drive',
          mimetype: 'text/plain',
          created: '2026-01-01T00:00:00Z',
          last_modified: '2026-01-01T00:00:00Z',
          size: 12,
          writable: true
        }
      },
      [`POST ${API}/drives/a/disconnect`]: {
        status: 200,
        body: drive('a', { state: 'disconnected' })
      }
    });
    left = [];
    refreshed = [];
    active = [];
    drives = [];
    created = [];
    // A real ContentsManager (the plugin reads paths through it), noting added drives.
    const contents = new ContentsManager({ serverSettings: settings });
    const addDrive = contents.addDrive.bind(contents);
    contents.addDrive = (d: Contents.IDrive) => {
      drives.push(d);
      addDrive(d);
    };
    const app = {
      commands: new CommandRegistry(),
      contextMenu: { addItem: () => undefined },
      restored,
      serviceManager: {
        contents,
        serverSettings: settings
      },
      shell: {
        add: (widget: Widget, area: string) => {
          expect(area).toBe('left');
          left.push(widget);
          if (attach) {
            Widget.attach(widget, document.body);
          }
        },
        activateById: (id: string) => active.push(id)
      }
    } as unknown as JupyterFrontEnd;
    const factory = {
      createFileBrowser: (
        id: string,
        options: IFileBrowserFactory.IOptions
      ) => {
        created.push({ id, options });
        const browser = new Widget();
        browser.id = id;
        const items: string[] = [];
        toolbars.set(id, items);
        Object.assign(browser, {
          model: {
            path: 'atrium-nd-a:sub',
            refresh: () => {
              refreshed.push(id);
              return Promise.resolve();
            }
          },
          toolbar: { addItem: (name: string) => items.push(name) },
          header: new Panel()
        });
        return browser as unknown as FileBrowser;
      }
    } as unknown as IFileBrowserFactory;
    // The remembered drives' names, as the server puts them in the page config.
    PageConfig.setOption(
      'atriumDrives',
      JSON.stringify(items.map(d => d.name))
    );
    startPlugin(app, factory, null, null, null, null, null);
    return { app, seen, contents };
  }

  beforeEach(() => {
    publishServerPolicy({ netdrive: samplePolicy });
  });

  afterEach(() => {
    left.forEach(w => w.dispose());
    PageConfig.setOption('atrium', '');
    PageConfig.setOption('atriumDrives', '');
  });

  it('adds the panel and a file browser per connected drive', async () => {
    const { app } = start([drive('a'), drive('b', { state: 'disconnected' })]);
    await until(() => created.length === 1);
    const panel = left[0];
    expect(panel.id).toBe('jp-Atrium-NetDrive-panel');
    expect(created[0]).toEqual({
      id: browserId('a'),
      options: { driveName: 'atrium-nd-a', refreshInterval: 30000 }
    });
    // The factory's browsers get no toolbar of their own: the plugin adds one.
    expect(toolbars.get(browserId('a'))).toEqual([
      'launch',
      'new-directory',
      'upload',
      'refresh'
    ]);
    // Stand-ins for both remembered drives, then the real drive of the connected one.
    expect(drives.map(d => d.name)).toEqual([
      'atrium-nd-a',
      'atrium-nd-b',
      'atrium-nd-a'
    ]);
    const real = drives[2];
    // A change in the folder the browser shows refreshes it at once; elsewhere, not.
    await real.delete('other/y.txt');
    expect(refreshed).toEqual([]);
    await real.delete('sub/x.txt');
    expect(refreshed).toEqual([browserId('a')]);
    const browser = left[1];
    expect(browser.title.label).toBe('Drive a');
    expect(
      (browser as unknown as FileBrowser).header.node.querySelector(
        '.jp-Atrium-NetDrive-browserHeader'
      )?.textContent
    ).toBe('Drive a');
    expect(browser.hasClass('jp-Atrium-NetDrive-browser')).toBe(true);
    expect(app.commands.hasCommand(CommandIDs.connect)).toBe(true);
    expect(app.commands.isEnabled(CommandIDs.reconnectAll)).toBe(true);

    // The panel lists both drives with their state.
    await until(
      () => panel.node.querySelectorAll('[data-atrium-drive]').length === 2
    );
    const states = Array.from(
      panel.node.querySelectorAll('[data-atrium-drive]')
    ).map(
      n =>
        `${n.getAttribute('data-atrium-drive')}:${n.getAttribute('data-atrium-state')}`
    );
    expect(states).toEqual(['a:connected', 'b:disconnected']);
    expect(panel.node.textContent).toContain('netdrive://a/');

    // Opening activates the drive's browser.
    await app.commands.execute(CommandIDs.open, { name: 'a' });
    expect(active).toEqual([browserId('a')]);

    // Disconnecting from the panel removes the browser.
    const button = panel.node.querySelector(
      '[data-atrium-drive="a"] [data-atrium-action="disconnect"]'
    ) as HTMLButtonElement;
    button.click();
    await until(() => browser.isDisposed);
    await until(
      () =>
        panel.node
          .querySelector('[data-atrium-drive="a"]')
          ?.getAttribute('data-atrium-state') === 'disconnected'
    );
  });

  it('adds only the tab until the layout is restored or the tab is shown', async () => {
    const { app, seen } = start([drive('a')], {
      restored: new Promise<void>(() => undefined),
      attach: false
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(left.map(w => w.id)).toEqual(['jp-Atrium-NetDrive-panel']);
    expect(app.commands.hasCommand(CommandIDs.connect)).toBe(false);
    // No request: the stand-ins of restored documents' drives come from the page config.
    expect(seen).toEqual([]);

    // A panel restored open needs the drives now, whatever the rest of the page does.
    Widget.attach(left[0], document.body);
    await until(() => app.commands.hasCommand(CommandIDs.connect));
    await until(() => (left[0] as LazyPanel).content !== null);
  });

  it('restores a document of a drive before the layout is restored', async () => {
    const { app, contents } = start([drive('a')], {
      restored: new Promise<void>(() => undefined),
      attach: false
    });
    // The stand-in is there when the plugin's activation returns, before the restore.
    expect(drives.map(d => d.name)).toEqual(['atrium-nd-a']);
    expect(app.commands.hasCommand(CommandIDs.connect)).toBe(false);

    // Opening the document loads the plugin, which puts the real drive in its place.
    const model = await contents.get('atrium-nd-a:sub/x.txt');
    expect(model.path).toBe('atrium-nd-a:sub/x.txt');
    expect(model.content).toBe('on the drive');
    expect(app.commands.hasCommand(CommandIDs.connect)).toBe(true);
    expect(drives.map(d => d.name)).toEqual(['atrium-nd-a', 'atrium-nd-a']);
    expect(drives[1]).not.toBe(drives[0]);
  });

  it('shows an empty state when there are no drives', async () => {
    start([]);
    const panel = left[0];
    await until(() => !!panel.node.querySelector('.jp-Atrium-NetDrive-empty'));
    expect(created).toEqual([]);
  });
});

describe('readSettings', () => {
  it('fills defaults and ignores values out of range', () => {
    expect(readSettings({})).toEqual({
      showInFileBrowserToolbar: true,
      openFileBrowserOnConnect: true,
      refreshIntervalSeconds: 30
    });
    expect(
      readSettings({
        showInFileBrowserToolbar: false,
        refreshIntervalSeconds: 1
      })
    ).toEqual({
      showInFileBrowserToolbar: false,
      openFileBrowserOnConnect: true,
      refreshIntervalSeconds: 30
    });
    expect(
      readSettings({ refreshIntervalSeconds: 60 }).refreshIntervalSeconds
    ).toBe(60);
  });
});

describe('schema/netdrive.json', () => {
  it('is closed and has the same defaults as the code', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const schema = require('../../../schema/netdrive.json');
    expect(schema.additionalProperties).toBe(false);
    const defaults = Object.fromEntries(
      Object.entries(
        schema.properties as Record<string, { default: unknown }>
      ).map(([key, value]) => [key, value.default])
    );
    expect(defaults).toEqual(readSettings({}));
  });
});
