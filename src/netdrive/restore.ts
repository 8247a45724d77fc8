import { PageConfig } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import { contentsDriveName, DRIVE_PREFIX } from './ids';

/**
 * Documents of network drives come back after a reload. JupyterLab restores a document by
 * opening its path (`atrium-nd-x:dir/f.ipynb`) while the page starts, and forgets it if no
 * drive of that name is registered yet: so every remembered drive is registered before
 * the layout is restored, as a stand-in that loads the plugin's code (and connects the
 * drive, asking for its password if the server no longer has it) on first use. The
 * plugin's real drive then takes its place in the contents manager.
 */

/**
 * The drive path in the page's address, taken over from JupyterLab. It puts the current
 * document's path there (`/lab/tree/atrium-nd-x:dir/f.ipynb`), and on a reload opens that
 * path in the file browser of its drive before any drive browser exists, which fails with
 * "Cannot open". The plugin opens it instead, once the drive and its browser are there.
 */
export function takeDriveTreePath(): string | null {
  const path = PageConfig.getOption('treePath');
  if (!path.startsWith(DRIVE_PREFIX)) {
    return null;
  }
  PageConfig.setOption('treePath', '');
  return path;
}

/** The page config key the server keeps the remembered drives' names under (app.py). */
const PAGE_CONFIG_KEY = 'atriumDrives';

/**
 * The names of the user's remembered drives, as the server put them in this page's config
 * (a request here would hold up every page's start for a round trip to a busy server);
 * none when the config has no valid list.
 */
export function rememberedDrives(
  option: string = PageConfig.getOption(PAGE_CONFIG_KEY)
): string[] {
  let names: unknown;
  try {
    names = option ? JSON.parse(option) : [];
  } catch {
    return [];
  }
  return Array.isArray(names)
    ? names.filter(
        (name): name is string => typeof name === 'string' && name !== ''
      )
    : [];
}

/** The `Contents.IDrive` methods a stand-in forwards to the real drive. */
const FORWARDED = [
  'get',
  'getDownloadUrl',
  'newUntitled',
  'delete',
  'rename',
  'save',
  'copy',
  'createCheckpoint',
  'listCheckpoints',
  'restoreCheckpoint',
  'deleteCheckpoint'
] as const;

type Forwarded = (typeof FORWARDED)[number];

/**
 * A remembered drive's stand-in: every call waits for the real drive, then goes there.
 * Its methods are made from the list above (this code is loaded by every page).
 */
export function restoringDrive(
  atriumName: string,
  serverSettings: ServerConnection.ISettings,
  open: () => Promise<Contents.IDrive>
): Contents.IDrive {
  const stub: Partial<Contents.IDrive> = {
    name: contentsDriveName(atriumName),
    serverSettings,
    // Never emits: the real drive, once registered, reports its own changes.
    fileChanged: new Signal<Contents.IDrive, Contents.IChangedArgs>(
      {} as Contents.IDrive
    ),
    isDisposed: false,
    dispose: () => undefined
  };
  for (const method of FORWARDED) {
    // Each forwards its own arguments unchanged: one signature cannot describe all eleven.
    (stub as Record<Forwarded, unknown>)[method] = async (
      ...args: unknown[]
    ) => {
      const drive = (await open()) as unknown as Record<
        Forwarded,
        (...args: unknown[]) => Promise<unknown>
      >;
      return drive[method](...args);
    };
  }
  return stub as Contents.IDrive;
}

/** Register a stand-in for each remembered drive; `open` gives the real, connected one. */
export function registerRestoringDrives(
  contents: Pick<Contents.IManager, 'addDrive'>,
  settings: ServerConnection.ISettings,
  open: (name: string) => Promise<Contents.IDrive>,
  names: string[] = rememberedDrives()
): void {
  for (const name of names) {
    contents.addDrive(restoringDrive(name, settings, () => open(name)));
  }
}
