import { Contents, ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { AtriumRequestError } from '../common/request';
import * as api from './api';
import { NetDrive, NetDriveFilesApi } from './drive';
import { IConnectRequest, IDriveInfo, INetDrivePolicy } from './types';

/** The drive-management API the manager uses (the module `./api` or a stand-in). */
export type NetDriveApi = NetDriveFilesApi &
  Pick<
    typeof api,
    | 'getPolicy'
    | 'listDrives'
    | 'createDrive'
    | 'connectDrive'
    | 'reconnectServer'
    | 'disconnectDrive'
    | 'forgetDrive'
  >;

/** Connected, whether or not its server answers right now (`unreachable`). */
export function isConnected(drive: Pick<IDriveInfo, 'state'>): boolean {
  return drive.state === 'connected' || drive.state === 'unreachable';
}

/** Whether a drive call failed because the drive's server did not answer (HTTP 504). */
export function isUnanswered(error: unknown): boolean {
  return error instanceof AtriumRequestError && error.status === 504;
}

/** `fn`, telling `watch` about every promise it returns (which callers get unchanged). */
function watched<F extends (...args: never[]) => Promise<unknown>>(
  fn: F,
  watch: (result: Promise<unknown>) => void
): F {
  return ((...args: Parameters<F>) => {
    const result = fn(...args);
    watch(result);
    return result;
  }) as F;
}

export interface INetDriveManagerOptions {
  /** Where drives are registered (`app.serviceManager.contents`). */
  contents: Pick<Contents.IManager, 'addDrive'>;
  /** The policy from page config, if the server published it there. */
  policy?: INetDrivePolicy | null;
  serverSettings?: ServerConnection.ISettings;
  api?: NetDriveApi;
  describe?: (error: AtriumRequestError) => string;
  /** Milliseconds between reloads of the list while a drive is unreachable (5000). */
  recheckInterval?: number;
}

/** Remembered drives of one server that are not connected, for "reconnect all". */
export interface IServerGroup {
  server: string;
  /** The accounts (`DOMAIN\\user` or `user`) the drives use, for the prompt. */
  accounts: string[];
  drives: IDriveInfo[];
}

/**
 * The user's network drives as the server knows them, and one `Contents.IDrive` per
 * drive ever connected in this page. Passwords pass through its methods to the server
 * and are never kept.
 *
 * JupyterLab's contents manager has no way to remove a drive, so a drive stays registered
 * after disconnect/forget; its file browser goes, and the server answers 409
 * `disconnected` (or 404) to any document still open from it.
 */
export class NetDriveManager implements IDisposable {
  constructor(options: INetDriveManagerOptions) {
    this._contents = options.contents;
    this._policy = options.policy ?? null;
    this._settings = options.serverSettings ?? ServerConnection.makeSettings();
    this._api = options.api ?? api;
    this._describe = options.describe;
    this._recheckInterval = options.recheckInterval ?? 5000;
  }

  /** Emitted whenever the list of drives or one drive's state changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get drives(): readonly IDriveInfo[] {
    return this._drives;
  }

  /** Whether `refresh` has succeeded at least once. */
  get loaded(): boolean {
    return this._loaded;
  }

  /** The last failure of `refresh`, or null. */
  get loadError(): unknown {
    return this._loadError;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    if (this._recheckTimer !== null) {
      clearTimeout(this._recheckTimer);
      this._recheckTimer = null;
    }
    for (const drive of this._contentsDrives.values()) {
      drive.dispose();
    }
    Signal.clearData(this);
  }

  /** The policy: from page config, else asked once from the server. */
  async policy(): Promise<INetDrivePolicy> {
    if (!this._policy) {
      this._policy = await this._api.getPolicy(this._settings);
    }
    return this._policy;
  }

  drive(name: string): IDriveInfo | undefined {
    return this._drives.find(d => d.name === name);
  }

  /** The `Contents.IDrive` of drive `name`, registered on first use. */
  contentsDrive(name: string): NetDrive {
    let drive = this._contentsDrives.get(name);
    if (!drive) {
      drive = new NetDrive({
        name,
        serverSettings: this._settings,
        api: this._watchedApi(name),
        describe: this._describe
      });
      this._contentsDrives.set(name, drive);
      this._contents.addDrive(drive);
    }
    return drive;
  }

  /** Reload the list from the server. */
  async refresh(): Promise<void> {
    try {
      const drives = await this._api.listDrives(this._settings);
      this._loadError = null;
      this._loaded = true;
      this._replaceAll(drives);
    } catch (error) {
      this._loadError = error;
      this._changed.emit();
      this._scheduleRecheck();
      throw error;
    }
  }

  /** Connect a new drive; the request (with its password) is not kept. */
  async create(request: IConnectRequest): Promise<IDriveInfo> {
    const info = await this._api.createDrive(request, this._settings);
    this._update(info);
    return info;
  }

  /** Reconnect a remembered drive with its password. */
  async connect(name: string, password: string): Promise<IDriveInfo> {
    const info = await this._api.connectDrive(name, password, this._settings);
    this._update(info);
    return info;
  }

  /** Reconnect every remembered drive of `server` with one password. */
  async reconnectServer(
    server: string,
    password: string
  ): Promise<IDriveInfo[]> {
    const drives = await this._api.reconnectServer(
      server,
      password,
      this._settings
    );
    drives.forEach(info => this._update(info, false));
    this._changed.emit();
    return drives;
  }

  async disconnect(name: string): Promise<IDriveInfo> {
    const info = await this._api.disconnectDrive(name, this._settings);
    this._update(info);
    return info;
  }

  async forget(name: string): Promise<void> {
    await this._api.forgetDrive(name, this._settings);
    this._drives = this._drives.filter(d => d.name !== name);
    this._changed.emit();
  }

  /**
   * Drives that are not connected, grouped by server: "reconnect all" asks one password
   * per server (`POST netdrive/reconnect`).
   */
  disconnectedByServer(): IServerGroup[] {
    const groups = new Map<string, IServerGroup>();
    for (const drive of this._drives) {
      if (isConnected(drive)) {
        continue;
      }
      let group = groups.get(drive.server);
      if (!group) {
        group = { server: drive.server, accounts: [], drives: [] };
        groups.set(drive.server, group);
      }
      const account = drive.domain
        ? `${drive.domain}\\${drive.username}`
        : drive.username;
      if (!group.accounts.includes(account)) {
        group.accounts.push(account);
      }
      group.drives.push(drive);
    }
    return [...groups.values()];
  }

  /**
   * The files API for drive `name`'s `Contents.IDrive`: a call that the drive's server did
   * not answer (504), or one that it answered while the drive is shown unreachable, makes
   * the list reload, so the panel shows what the server now knows.
   */
  private _watchedApi(name: string): NetDriveFilesApi {
    const api = this._api;
    const watch = (result: Promise<unknown>): void => {
      result.then(
        () => {
          if (this.drive(name)?.state === 'unreachable') {
            this._recheck();
          }
        },
        (error: unknown) => {
          if (isUnanswered(error) && this.drive(name)?.state === 'connected') {
            this._recheck();
          }
        }
      );
    };
    return {
      getContents: watched(api.getContents, watch),
      saveContents: watched(api.saveContents, watch),
      newUntitled: watched(api.newUntitled, watch),
      renameContents: watched(api.renameContents, watch),
      deleteContents: watched(api.deleteContents, watch),
      copyContents: watched(api.copyContents, watch),
      getRaw: watched(api.getRaw, watch),
      putRaw: watched(api.putRaw, watch),
      downloadUrl: api.downloadUrl
    };
  }

  /** Reload the list now, unless a reload is under way. */
  private _recheck(): void {
    if (this._rechecking || this._isDisposed) {
      return;
    }
    this._rechecking = true;
    void this.refresh()
      .catch(() => undefined)
      .finally(() => {
        this._rechecking = false;
      });
  }

  /** While a drive is unreachable, reload the list now and then. */
  private _scheduleRecheck(): void {
    const waiting = this._drives.some(d => d.state === 'unreachable');
    if (!waiting || this._recheckTimer !== null || this._isDisposed) {
      return;
    }
    this._recheckTimer = setTimeout(() => {
      this._recheckTimer = null;
      this._recheck();
    }, this._recheckInterval);
  }

  private _replaceAll(drives: IDriveInfo[]): void {
    this._drives = [...drives];
    this._changed.emit();
    this._scheduleRecheck();
  }

  private _update(info: IDriveInfo, emit = true): void {
    const index = this._drives.findIndex(d => d.name === info.name);
    if (index >= 0) {
      this._drives = [
        ...this._drives.slice(0, index),
        info,
        ...this._drives.slice(index + 1)
      ];
    } else {
      this._drives = [...this._drives, info];
    }
    if (emit) {
      this._changed.emit();
    }
    this._scheduleRecheck();
  }

  private _api: NetDriveApi;
  private _changed = new Signal<this, void>(this);
  private _contents: Pick<Contents.IManager, 'addDrive'>;
  private _contentsDrives = new Map<string, NetDrive>();
  private _describe?: (error: AtriumRequestError) => string;
  private _drives: IDriveInfo[] = [];
  private _isDisposed = false;
  private _loaded = false;
  private _loadError: unknown = null;
  private _policy: INetDrivePolicy | null;
  private _recheckInterval: number;
  private _recheckTimer: ReturnType<typeof setTimeout> | null = null;
  private _rechecking = false;
  private _settings: ServerConnection.ISettings;
}
