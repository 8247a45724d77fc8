import { JupyterFrontEnd } from '@jupyterlab/application';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import {
  LAUNCHER_CREATE,
  launcherCwd,
  launchersFollowHome,
  openLauncherFor
} from '../launcher';

/** A folder model as file browsers have them: a path and its signal. */
class Folder {
  constructor(public path: string) {}
  readonly pathChanged = new Signal<this, unknown>(this);
  go(path: string): void {
    this.path = path;
    this.pathChanged.emit(undefined);
  }
}

class FakeLauncher extends Widget {
  constructor(public cwd: string) {
    super();
  }
}

/**
 * `launcher:create` as JupyterLab's launcher plugin has it: the folder given, else the
 * home browser's, which it then follows whatever folder the launcher was given.
 */
function lab(home: Folder) {
  const commands = new CommandRegistry();
  const launchers: FakeLauncher[] = [];
  commands.addCommand(LAUNCHER_CREATE, {
    execute: args => {
      const launcher = new FakeLauncher(
        typeof args.cwd === 'string' ? args.cwd : home.path
      );
      const follow = () => (launcher.cwd = home.path);
      home.pathChanged.connect(follow);
      launcher.disposed.connect(() => home.pathChanged.disconnect(follow));
      launchers.push(launcher);
      return { content: launcher };
    }
  });
  const main: Widget[] = [];
  const app = {
    commands,
    shell: { widgets: () => main[Symbol.iterator]() }
  } as unknown as JupyterFrontEnd;
  const browser = { model: home } as unknown as IDefaultFileBrowser;
  return { app, browser, launchers, main };
}

describe('launcherCwd', () => {
  it('names the home root "/" so that no command takes it for "no folder"', () => {
    expect(launcherCwd('')).toBe('/');
    expect(launcherCwd('sub/dir')).toBe('sub/dir');
    expect(launcherCwd('atrium-nd-a:')).toBe('atrium-nd-a:');
  });
});

describe('launchersFollowHome', () => {
  it('gives launchers without a folder the home folder, root included', async () => {
    const home = new Folder('');
    const { app, browser, launchers } = lab(home);
    launchersFollowHome(app, browser);

    await app.commands.execute(LAUNCHER_CREATE, {});
    expect(launchers[0].cwd).toBe('/');
    home.go('sub');
    expect(launchers[0].cwd).toBe('sub');
    home.go('');
    expect(launchers[0].cwd).toBe('/');

    // A launcher given its folder is left alone.
    await app.commands.execute(LAUNCHER_CREATE, { cwd: 'elsewhere' });
    expect(launchers[1].cwd).toBe('elsewhere');

    // A closed launcher is no longer followed.
    launchers[0].dispose();
    home.go('later');
    expect(launchers[0].cwd).toBe('/');
  });
});

describe('launchersFollowHome, loaded after a launcher opened', () => {
  it('adopts the launchers already open', async () => {
    const home = new Folder('');
    const { app, browser, launchers, main } = lab(home);
    // JupyterLab's first launcher, opened before the plugin's code loaded.
    main.push(
      (await app.commands.execute(LAUNCHER_CREATE, {})) as unknown as Widget
    );
    expect(launchers[0].cwd).toBe('');
    launchersFollowHome(app, browser);
    expect(launchers[0].cwd).toBe('/');
  });
});

describe('openLauncherFor', () => {
  it('opens a launcher on the drive folder and keeps it there', async () => {
    const home = new Folder('');
    const drive = new Folder('atrium-nd-a:');
    const { app, browser, launchers } = lab(home);
    launchersFollowHome(app, browser);

    await openLauncherFor(app, drive, browser);
    expect(launchers[0].cwd).toBe('atrium-nd-a:');
    drive.go('atrium-nd-a:raw');
    expect(launchers[0].cwd).toBe('atrium-nd-a:raw');
    // JupyterLab moves every launcher with the home browser; this one stays on the drive.
    home.go('sub');
    expect(launchers[0].cwd).toBe('atrium-nd-a:raw');
  });
});
