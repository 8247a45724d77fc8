import { JupyterFrontEnd } from '@jupyterlab/application';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

/*
 * Launchers create files where the user started them. JupyterLab's launcher passes its
 * folder as `cwd`, and for the home folder's root that is '' — which `notebook:create-new`
 * takes for "no folder given" and replaces with the folder of the file browser used last:
 * a drive browser, if that was one. So a launcher that follows the home folder names its
 * root '/' (the same folder for every JupyterLab command: paths are normalised), and a
 * launcher opened from a drive browser's toolbar follows that browser.
 */

export const LAUNCHER_CREATE = 'launcher:create';

/** The launcher's folder for a file browser's path: '/' for the home folder's root. */
export function launcherCwd(path: string): string {
  return path === '' ? '/' : path;
}

/** The part of JupyterLab's `Launcher` used here (the package is not a dependency). */
type LauncherLike = Widget & { cwd: string };

/** The launcher inside what `launcher:create` returned (a `MainAreaWidget`). */
function launcherIn(widget: unknown): LauncherLike | null {
  const content = (widget as { content?: unknown } | null)?.content;
  return content instanceof Widget &&
    typeof (content as { cwd?: unknown }).cwd === 'string'
    ? (content as LauncherLike)
    : null;
}

interface IFolderModel {
  readonly path: string;
  readonly pathChanged: ISignal<unknown, unknown>;
}

/**
 * Keep `launcher`'s folder on `model`'s until the launcher is closed. JupyterLab sets
 * every launcher's folder to the home browser's when that one changes folder: `home`
 * is heard too, after JupyterLab, so that the folder stays `model`'s.
 */
function follow(
  launcher: LauncherLike,
  model: IFolderModel,
  home: IFolderModel
): void {
  const update = () => {
    launcher.cwd = launcherCwd(model.path);
  };
  update();
  const signals = new Set([model.pathChanged, home.pathChanged]);
  signals.forEach(signal => signal.connect(update));
  launcher.disposed.connect(() =>
    signals.forEach(signal => signal.disconnect(update))
  );
}

/**
 * Launchers opened without a folder (the main area's "+", the palette, an empty main
 * area) follow the home file browser, as JupyterLab intends, root included: those open
 * already (JupyterLab opens one as the page starts, before this code loads) and those
 * opened from now on.
 */
export function launchersFollowHome(
  app: JupyterFrontEnd,
  home: IDefaultFileBrowser
): void {
  for (const widget of app.shell.widgets('main')) {
    const launcher = launcherIn(widget);
    if (launcher) {
      follow(launcher, home.model, home.model);
    }
  }
  app.commands.commandExecuted.connect((_, { id, args, result }) => {
    if (id !== LAUNCHER_CREATE || typeof args.cwd === 'string') {
      return;
    }
    // Connected after the launcher's own handler, so this one has the last word.
    void result.then(widget => {
      const launcher = launcherIn(widget);
      if (launcher) {
        follow(launcher, home.model, home.model);
      }
    });
  });
}

/** Open a launcher that creates in the folder `model` shows, and follows it. */
export async function openLauncherFor(
  app: JupyterFrontEnd,
  model: IFolderModel,
  home: IDefaultFileBrowser | null
): Promise<void> {
  const widget = await app.commands.execute(LAUNCHER_CREATE, {
    cwd: launcherCwd(model.path)
  });
  const launcher = launcherIn(widget);
  if (launcher) {
    follow(launcher, model, home?.model ?? model);
  }
}
