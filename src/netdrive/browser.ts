import { JupyterFrontEnd } from '@jupyterlab/application';
import { PathExt } from '@jupyterlab/coreutils';
import {
  DirListing,
  FileBrowser,
  IDefaultFileBrowser,
  IFileBrowserFactory,
  Uploader
} from '@jupyterlab/filebrowser';
import { Contents } from '@jupyterlab/services';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  newFolderIcon,
  refreshIcon,
  ToolbarButton
} from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { IMessageHandler, Message, MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { DRIVE_BROWSER_CLASS } from './deletion';
import { netdriveIcon } from './icons';
import { openLauncherFor } from './launcher';
import { isConnected, NetDriveManager } from './manager';
import { IDriveInfo, INetDriveSettings } from './types';
import { streamUploads } from './upload';

import '../../style/netdrive.css';

/** The id of the file browser of drive `name` (stable, for tests and restoring). */
export function browserId(name: string): string {
  return `jp-Atrium-NetDrive-browser-${name}`;
}

/**
 * What the user chose to see in the home browser (JupyterLab applies its settings to that
 * one only): the same columns, checkboxes and sorting in drive browsers. The checkbox
 * column the factory's browsers show by default narrows the others.
 */
const VIEW_OPTIONS = [
  'showLastModifiedColumn',
  'showFileSizeColumn',
  'showDateCreatedColumn',
  'showFileCheckboxes',
  'sortNotebooksFirst',
  'sortFileNamesNaturally',
  'singleClickNavigation'
] as const;

function showAsHome(browser: FileBrowser, home: FileBrowser): void {
  for (const option of VIEW_OPTIONS) {
    if (browser[option] !== home[option]) {
      browser[option] = home[option];
    }
  }
}

/** Where JupyterLab's file browser `id` keeps its column widths and sort order. */
function columnsKey(id: string): string {
  return `file-browser-${id}:columns`;
}

/** The listing inside a file browser (JupyterLab keeps it protected). */
function listingOf(widget: Widget): DirListing | null {
  for (const child of widget.children()) {
    const found = child instanceof DirListing ? child : listingOf(child);
    if (found) {
      return found;
    }
  }
  return null;
}

/** The drive's name above its file browser's toolbar, its share as the tooltip. */
class BrowserHeader extends Widget {
  constructor() {
    super();
    this.addClass('jp-Atrium-NetDrive-browserHeader');
  }

  describe(info: IDriveInfo): void {
    this.node.textContent = info.displayName;
    this.node.title = info.share;
  }
}

/**
 * Keeps one file browser in the left area per connected drive, and none for the others.
 */
export class BrowserSync implements IDisposable {
  constructor(
    private _app: JupyterFrontEnd,
    private _manager: NetDriveManager,
    private _factory: IFileBrowserFactory | null,
    private _home: IDefaultFileBrowser | null,
    private _state: IStateDB | null,
    private _settings: () => INetDriveSettings,
    private _translator: ITranslator | null,
    private _trans: TranslationBundle
  ) {
    _manager.changed.connect(this.sync, this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._manager.changed.disconnect(this.sync, this);
    for (const browser of this._browsers.values()) {
      browser.dispose();
    }
    this._browsers.clear();
  }

  browser(name: string): FileBrowser | undefined {
    return this._browsers.get(name);
  }

  sync(): void {
    const connected = new Map(
      this._manager.drives.filter(isConnected).map(d => [d.name, d])
    );
    for (const [name, browser] of this._browsers) {
      if (!connected.has(name)) {
        browser.dispose();
        this._browsers.delete(name);
      }
    }
    for (const [name, info] of connected) {
      // Registered even without a file browser, so documents can be opened by path.
      const drive = this._manager.contentsDrive(name);
      let browser = this._browsers.get(name);
      if (!browser && this._factory) {
        const id = browserId(name);
        browser = this._factory.createFileBrowser(id, {
          driveName: drive.name,
          refreshInterval: this._settings().refreshIntervalSeconds * 1000
        });
        browser.addClass(DRIVE_BROWSER_CLASS);
        browser.node.dataset.atriumDrive = name;
        browser.title.icon = netdriveIcon;
        browser.header.addWidget(new BrowserHeader());
        this._sizeColumnsOnFirstShow(browser);
        if (this._home) {
          showAsHome(browser, this._home);
        }
        this._addToolbar(browser);
        streamUploads(browser.model, drive, {
          translator: this._translator ?? undefined
        });
        this._refreshOnChange(browser, drive);
        this._browsers.set(name, browser);
        this._app.shell.add(browser, 'left', { rank: 150 });
      }
      if (browser) {
        browser.title.label = info.displayName;
        browser.title.caption = `${info.displayName}\n${info.share}`;
        for (const widget of browser.header.widgets) {
          if (widget instanceof BrowserHeader) {
            widget.describe(info);
          }
        }
      }
    }
  }

  /**
   * A drive browser measures its columns while it waits hidden in the sidebar, where all
   * get their minimum width ("Modified" cut to "Mo…") and keep it once shown. So when it is
   * first shown (and laid out: the next frame), it takes the home browser's column widths
   * and sort order, through the state JupyterLab keeps them in.
   */
  private _sizeColumnsOnFirstShow(browser: FileBrowser): void {
    const state = this._state;
    const home = this._home;
    if (!state || !home) {
      return;
    }
    const copy = async (): Promise<void> => {
      const columns = await state.fetch(columnsKey(home.id));
      const listing = listingOf(browser);
      if (columns === undefined || !listing || browser.isDisposed) {
        return;
      }
      await state.save(columnsKey(browser.id), columns);
      await listing.restore(browser.id);
    };
    const hook = (_: IMessageHandler, msg: Message): boolean => {
      if (msg.type === 'after-show') {
        MessageLoop.removeMessageHook(browser, hook);
        requestAnimationFrame(() => void copy().catch(() => undefined));
      }
      return true;
    };
    MessageLoop.installMessageHook(browser, hook);
  }

  /**
   * New launcher, new folder, upload and refresh, as in the home file browser (whose
   * toolbar comes from its own settings and is not given to browsers made by the factory).
   * The launcher creates on this drive, in the folder the browser shows.
   */
  private _addToolbar(browser: FileBrowser): void {
    const trans = this._trans;
    browser.toolbar.addItem(
      'launch',
      new ToolbarButton({
        icon: addIcon,
        tooltip: trans.__('New Launcher on this drive'),
        onClick: () =>
          void openLauncherFor(this._app, browser.model, this._home)
      })
    );
    browser.toolbar.addItem(
      'new-directory',
      new ToolbarButton({
        icon: newFolderIcon,
        tooltip: trans.__('New Folder'),
        onClick: () => void browser.createNewDirectory()
      })
    );
    browser.toolbar.addItem(
      'upload',
      new Uploader({
        model: browser.model,
        translator: this._translator ?? undefined
      })
    );
    browser.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Refresh the file list'),
        onClick: () => void browser.model.refresh()
      })
    );
  }

  /**
   * Refresh the browser when a file in the folder it shows changes (an upload, a save, a
   * new folder, a rename): JupyterLab 4.6's own check compares the folder with the drive
   * prefix against the file's folder without it, so drive browsers only caught up at the
   * next poll (jupyterlab/jupyterlab#16988).
   */
  private _refreshOnChange(browser: FileBrowser, drive: Contents.IDrive): void {
    const contents = this._app.serviceManager.contents;
    const onChange = (_: unknown, change: Contents.IChangedArgs): void => {
      const shown = contents.localPath(browser.model.path);
      const touched = [change.oldValue?.path, change.newValue?.path].some(
        path => typeof path === 'string' && PathExt.dirname(path) === shown
      );
      if (touched && !browser.isDisposed) {
        void browser.model.refresh();
      }
    };
    drive.fileChanged.connect(onChange);
    browser.disposed.connect(() => drive.fileChanged.disconnect(onChange));
  }

  private _browsers = new Map<string, FileBrowser>();
  private _isDisposed = false;
}
