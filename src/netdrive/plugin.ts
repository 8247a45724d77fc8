import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, ICommandPalette, showDialog } from '@jupyterlab/apputils';
import {
  IDefaultFileBrowser,
  IFileBrowserFactory
} from '@jupyterlab/filebrowser';
import { Contents } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { lazy } from '../common/lazy';
import { readPolicy } from '../common/policy';
import { describeError } from '../common/request';
import { atriumBundle } from '../common/translation';
import { policyFromPage } from './api';
import { BrowserSync } from './browser';
import { addPermanentDelete } from './deletion';
import { launchersFollowHome } from './launcher';
import { netdriveIcon, PANEL_ID } from './icons';
import { atriumDriveName, CommandIDs, NETDRIVE_PLUGIN_ID } from './ids';
import { isConnected, NetDriveManager } from './manager';
import { DEFAULT_SETTINGS, IDriveInfo, INetDriveSettings } from './types';

export { browserId } from './browser';

/*
 * Loaded on first use, each a chunk of its own: the connect form with its field rules,
 * the password prompt, copying across drives. The drives themselves stay eager: they are
 * registered at startup so restored documents open.
 */
const loadConnect = lazy(() => import('./dialog'));
const loadPassword = lazy(() =>
  Promise.all([import('./password'), import('./form')]).then(
    ([password, form]) => ({ ...password, ...form })
  )
);
const loadCopy = lazy(() => import('./copy'));

/** A `<select>` of target folders, as a dialog body. */
class TargetBody extends Widget {
  constructor(targets: { label: string; path: string }[], label: string) {
    super();
    this.addClass('jp-Atrium-NetDrive-copyBody');
    const id = `jp-Atrium-NetDrive-copyTarget-${++TargetBody.count}`;
    const caption = document.createElement('label');
    caption.htmlFor = id;
    caption.textContent = label;
    this._select = document.createElement('select');
    this._select.id = id;
    this._select.name = 'target';
    this._select.className = 'jp-mod-styled';
    for (const target of targets) {
      const option = document.createElement('option');
      option.value = target.path;
      option.textContent = target.label;
      this._select.appendChild(option);
    }
    this.node.append(caption, this._select);
  }

  getValue(): string {
    return this._select.value;
  }

  static count = 0;
  private _select: HTMLSelectElement;
}

/** The user's settings, with defaults for anything missing or out of range. */
export function readSettings(
  composite: Partial<Record<keyof INetDriveSettings, unknown>>
): INetDriveSettings {
  const interval = composite.refreshIntervalSeconds;
  return {
    showInFileBrowserToolbar:
      typeof composite.showInFileBrowserToolbar === 'boolean'
        ? composite.showInFileBrowserToolbar
        : DEFAULT_SETTINGS.showInFileBrowserToolbar,
    openFileBrowserOnConnect:
      typeof composite.openFileBrowserOnConnect === 'boolean'
        ? composite.openFileBrowserOnConnect
        : DEFAULT_SETTINGS.openFileBrowserOnConnect,
    refreshIntervalSeconds:
      typeof interval === 'number' && interval >= 5 && interval <= 3600
        ? interval
        : DEFAULT_SETTINGS.refreshIntervalSeconds
  };
}

function account(drive: IDriveInfo): string {
  return drive.domain ? `${drive.domain}\\${drive.username}` : drive.username;
}

/** What the first-screen code (`start.ts`) asks of the running plugin. */
export interface INetDriveRuntime {
  /** The Network Drives panel's content. */
  createPanel: () => Promise<Widget>;
  /**
   * Drive `name`'s `Contents.IDrive`, connected (asking for the password once if the
   * server does not have it), for a document restored from it.
   */
  openDrive: (name: string) => Promise<Contents.IDrive>;
  /** Show `path` (on a drive) as JupyterLab shows the path of the page's address. */
  openPath: (path: string) => Promise<void>;
}

/**
 * The drives, their file browsers, dialogs and commands, loaded by `start.ts` once the
 * layout is restored (or sooner, for a Network Drives panel restored open).
 */
export function activate(
  app: JupyterFrontEnd,
  factory: IFileBrowserFactory | null,
  defaultBrowser: IDefaultFileBrowser | null,
  palette: ICommandPalette | null,
  settingRegistry: ISettingRegistry | null,
  translator: ITranslator | null,
  state: IStateDB | null = null
): INetDriveRuntime {
  const trans = atriumBundle(translator);
  const describe = (error: unknown) => describeError(error, trans);
  let settings = DEFAULT_SETTINGS;

  const manager = new NetDriveManager({
    contents: app.serviceManager.contents,
    policy: policyFromPage(readPolicy()),
    serverSettings: app.serviceManager.serverSettings,
    describe
  });
  const browsers = new BrowserSync(
    app,
    manager,
    factory,
    defaultBrowser,
    state,
    () => settings,
    translator,
    trans
  );

  const openBrowser = (name: string): void => {
    const browser = browsers.browser(name);
    if (browser) {
      app.shell.activateById(browser.id);
    }
  };

  const connectDrive = async (
    name: string,
    { open = true } = {}
  ): Promise<void> => {
    const drive = manager.drive(name);
    if (!drive) {
      return;
    }
    const { askPassword, describeConnectFailure } = await loadPassword();
    const ok = await askPassword(trans.__('Connect %1', drive.displayName), {
      message: trans.__('Password of %1 for %2', account(drive), drive.share),
      trans,
      submit: async password => {
        await manager.connect(name, password);
      },
      describe: error =>
        describeConnectFailure(error, trans, { server: drive.server }).message
    });
    if (ok && open && settings.openFileBrowserOnConnect) {
      openBrowser(name);
    }
  };

  // One password prompt per drive for the documents restored from it together.
  const asked = new Map<string, Promise<void>>();
  const openDrive = async (name: string): Promise<Contents.IDrive> => {
    if (!manager.loaded) {
      await manager.refresh();
    }
    const drive = manager.drive(name);
    if (drive && !isConnected(drive)) {
      let asking = asked.get(name);
      if (!asking) {
        asking = connectDrive(name, { open: false }).finally(() =>
          asked.delete(name)
        );
        asked.set(name, asking);
      }
      await asking;
    }
    const info = manager.drive(name);
    if (!info || !isConnected(info)) {
      throw new Error(trans.__('The network drive %1 is not connected.', name));
    }
    return manager.contentsDrive(name);
  };

  const openPath = async (path: string): Promise<void> => {
    const name = atriumDriveName(path.split(':')[0]);
    if (name) {
      await openDrive(name);
      await app.commands.execute('filebrowser:open-path', {
        path,
        dontShowBrowser: true
      });
    }
  };

  const reconnectAll = async (): Promise<void> => {
    const { askPassword, describeConnectFailure } = await loadPassword();
    for (const group of manager.disconnectedByServer()) {
      const names = group.drives.map(d => d.displayName).join(', ');
      // Cancelling one server's prompt goes on with the next server.
      await askPassword(trans.__('Reconnect drives on %1', group.server), {
        message: trans.__(
          'Password of %1 on %2 (drives: %3)',
          group.accounts.join(', '),
          group.server,
          names
        ),
        trans,
        submit: async password => {
          await manager.reconnectServer(group.server, password);
        },
        describe: error =>
          describeConnectFailure(error, trans, { server: group.server }).message
      });
    }
  };

  const connectNew = async (): Promise<void> => {
    // The dialog's code loads while the policy is read, not after it.
    const dialogCode = loadConnect();
    dialogCode.catch(() => undefined);
    let policy = null;
    try {
      policy = await manager.policy();
    } catch (error) {
      await showDialog({
        title: trans.__('Network drives are not available'),
        body: describe(error),
        buttons: [Dialog.okButton({ label: trans.__('Close') })]
      });
      return;
    }
    const { showConnectDialog } = await dialogCode;
    const info = await showConnectDialog({
      policy,
      trans,
      connect: request => manager.create(request)
    });
    if (info && settings.openFileBrowserOnConnect) {
      openBrowser(info.name);
    }
  };

  const forget = async (name: string): Promise<void> => {
    const drive = manager.drive(name);
    if (!drive) {
      return;
    }
    const result = await showDialog({
      title: trans.__('Forget %1?', drive.displayName),
      body: trans.__(
        'The drive is disconnected and removed from your list. Nothing on %1 is changed.',
        drive.share
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Forget') })
      ]
    });
    if (result.button.accept) {
      await reportFailure(manager.forget(name), trans, describe);
    }
  };

  // The sidebar tab (start.ts) asks for its content the first time it is shown.
  const createPanel = async (): Promise<Widget> => {
    const { NetDrivePanel } = await import('./panel');
    const content = new NetDrivePanel({
      manager,
      trans,
      describe,
      actions: {
        connectNew: () => void connectNew(),
        connect: connectDrive,
        disconnect: name =>
          reportFailure(manager.disconnect(name), trans, describe),
        forget,
        open: openBrowser,
        reconnectAll,
        refresh: () => manager.refresh()
      }
    });
    // The id belongs to the tab (activateById, restorer, tests); one element carries it.
    content.id = '';
    return content;
  };

  app.commands.addCommand(CommandIDs.connect, {
    label: trans.__('Connect Network Drive…'),
    caption: trans.__('Connect a Windows or Samba share (SMB)'),
    icon: netdriveIcon,
    execute: () => connectNew()
  });
  app.commands.addCommand(CommandIDs.openPanel, {
    label: trans.__('Show Network Drives'),
    execute: () => app.shell.activateById(PANEL_ID)
  });
  app.commands.addCommand(CommandIDs.reconnectAll, {
    label: trans.__('Reconnect All Network Drives…'),
    isEnabled: () => manager.drives.some(d => !isConnected(d)),
    execute: () => reconnectAll()
  });
  app.commands.addCommand(CommandIDs.open, {
    label: args =>
      trans.__(
        'Open Network Drive %1',
        String(manager.drive(String(args.name ?? ''))?.displayName ?? '')
      ),
    execute: async args => {
      const name = String(args.name ?? '');
      const drive = manager.drive(name);
      if (drive && isConnected(drive)) {
        openBrowser(name);
      } else if (drive) {
        await connectDrive(name);
      }
    }
  });
  const copySelection = async (): Promise<void> => {
    const source = factory?.tracker.currentWidget;
    if (!source) {
      return;
    }
    const contents = app.serviceManager.contents;
    const files = [...source.selectedItems()].filter(
      i => i.type !== 'directory'
    );
    const sourceDrive = source.model.driveName;
    const targets: { label: string; path: string }[] = [];
    if (defaultBrowser && sourceDrive !== '') {
      targets.push({
        label: trans.__('Home: /%1', defaultBrowser.model.path),
        path: defaultBrowser.model.path
      });
    }
    for (const drive of manager.drives) {
      const browser = browsers.browser(drive.name);
      if (!isConnected(drive) || !browser || browser === source) {
        continue;
      }
      const dir = contents.localPath(browser.model.path);
      targets.push({
        label: `${drive.displayName}: /${dir}`,
        path: browser.model.path
      });
    }
    if (!files.length || !targets.length) {
      return;
    }
    const result = await showDialog({
      title: trans._n('Copy %1 file', 'Copy %1 files', files.length),
      body: new TargetBody(targets, trans.__('Into the folder')),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Copy') })
      ]
    });
    if (!result.button.accept || result.value === null) {
      return;
    }
    const { copyAcross } = await loadCopy();
    const problems: string[] = [];
    for (const file of files) {
      try {
        const { outcome, path } = await copyAcross(
          contents,
          file,
          result.value
        );
        if (outcome === 'exists') {
          problems.push(trans.__('%1 exists already; not copied.', path));
        } else if (outcome === 'too-large') {
          problems.push(
            trans.__(
              '%1 is too large to copy here: download and upload it instead.',
              file.name
            )
          );
        }
      } catch (error) {
        problems.push(`${file.name}: ${describe(error)}`);
      }
    }
    if (problems.length) {
      await showDialog({
        title: trans.__('Some files were not copied'),
        body: problems.join('\n'),
        buttons: [Dialog.okButton({ label: trans.__('Close') })]
      });
    }
  };
  app.commands.addCommand(CommandIDs.copyAcross, {
    label: trans.__('Copy to Another Drive…'),
    caption: trans.__('Copy between your home folder and network drives'),
    icon: netdriveIcon,
    isVisible: () =>
      !!factory?.tracker.currentWidget && manager.drives.some(isConnected),
    execute: () => copySelection()
  });
  app.contextMenu.addItem({
    command: CommandIDs.copyAcross,
    selector: '.jp-DirListing-item[data-isdir="false"]',
    rank: 11
  });
  if (factory) {
    addPermanentDelete(app, factory, trans);
  }
  if (defaultBrowser) {
    launchersFollowHome(app, defaultBrowser);
  }

  for (const command of [
    CommandIDs.connect,
    CommandIDs.openPanel,
    CommandIDs.reconnectAll
  ]) {
    palette?.addItem({ command, category: trans.__('Network Drives') });
  }
  manager.changed.connect(() =>
    app.commands.notifyCommandChanged(CommandIDs.reconnectAll)
  );

  // The "connect" button in the default file browser's toolbar, if the user wants it.
  let toolbarButton: CommandToolbarButton | null = null;
  const updateToolbar = () => {
    const want = settings.showInFileBrowserToolbar && !!defaultBrowser;
    if (want && !toolbarButton && defaultBrowser) {
      toolbarButton = new CommandToolbarButton({
        commands: app.commands,
        id: CommandIDs.connect,
        label: ''
      });
      toolbarButton.addClass('jp-Atrium-NetDrive-toolbarButton');
      defaultBrowser.toolbar.addItem('atrium-netdrive-connect', toolbarButton);
    } else if (!want && toolbarButton) {
      toolbarButton.dispose();
      toolbarButton = null;
    }
  };

  if (settingRegistry) {
    void settingRegistry
      .load(NETDRIVE_PLUGIN_ID)
      .then(loaded => {
        const apply = () => {
          settings = readSettings(loaded.composite);
          updateToolbar();
        };
        apply();
        loaded.changed.connect(apply);
      })
      .catch(error => {
        console.warn('Atrium network drives: settings not loaded', error);
        updateToolbar();
      });
  } else {
    updateToolbar();
  }

  void app.restored
    .then(() => manager.refresh())
    .catch(error => {
      // Shown in the panel (with a retry); the rest of JupyterLab is unaffected.
      console.warn('Atrium network drives: could not list drives', error);
    });

  return { createPanel, openDrive, openPath };
}

async function reportFailure(
  action: Promise<unknown>,
  trans: TranslationBundle,
  describe: (error: unknown) => string
): Promise<void> {
  try {
    await action;
  } catch (error) {
    await showDialog({
      title: trans.__('Network drive'),
      body: describe(error),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
  }
}
