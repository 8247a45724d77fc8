import { Contents, ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { AtriumRequestError } from '../common/request';
import * as api from './api';
import { base64ToBytes, bytesToBase64 } from './base64';
import { contentsDriveName } from './ids';

// Drive names live in ids.ts, so first-screen code (restore.ts) needs nothing from here.
export { atriumDriveName, contentsDriveName, DRIVE_PREFIX } from './ids';

/**
 * A failed file operation on a network drive. It is a `ServerConnection.ResponseError`
 * (JupyterLab's file browser and document context look at `response.status`, e.g. to
 * fall back to the root on 404), with the server's message and `reason`.
 */
export class NetDriveError extends ServerConnection.ResponseError {
  constructor(
    status: number,
    message: string,
    readonly reason: string
  ) {
    super(new Response(null, { status: status || 500 }), message);
    this.name = 'NetDriveError';
  }
}

/** Files API the drive uses (the module `./api`; tests may pass a stand-in). */
export type NetDriveFilesApi = Pick<
  typeof api,
  | 'getContents'
  | 'saveContents'
  | 'newUntitled'
  | 'renameContents'
  | 'deleteContents'
  | 'copyContents'
  | 'downloadUrl'
  | 'getRaw'
  | 'putRaw'
>;

export interface INetDriveOptions {
  /** The Atrium drive name (slug). */
  name: string;
  serverSettings?: ServerConnection.ISettings;
  api?: NetDriveFilesApi;
  /** A sentence for errors the server explained with no message. */
  describe?: (error: AtriumRequestError) => string;
  /** Bytes per request of `upload` (default `UPLOAD_PART`). */
  uploadPart?: number;
}

/**
 * Bytes per request when `NetDrive.upload` streams a file: large enough that Chromium's
 * per-request cost stops mattering (1 MiB requests moved 64 MiB at ~120 MB/s, 2-8 MiB at
 * 150-180 MB/s on the bench machine), small enough for steady progress.
 */
export const UPLOAD_PART = 4 * 1024 * 1024;

/** The only "checkpoint" id a network drive ever returns: see `createCheckpoint`. */
export const NO_CHECKPOINT_ID = 'atrium-netdrive-no-checkpoint';

/**
 * One connected SMB share as a JupyterLab drive: every call maps 1:1 to the server's
 * contents API under `/atrium/api/netdrive/drives/{name}/`, which answers with models
 * shaped like `/api/contents` and paths relative to the drive root.
 *
 * Base64 file contents (binary files opened, uploads and their chunks) travel as raw
 * bytes instead, through `raw/{name}/{path}`: the model callers see is the same, but the
 * server neither parses nor writes JSON around the bytes and the wire carries a third
 * less (see docs/netdrive.md, "Speed").
 *
 * SMB has no checkpoints. `listCheckpoints` honestly answers none; `createCheckpoint`
 * stores nothing and answers a model dated now (JupyterLab creates one after opening a
 * document and would show an error otherwise); restoring one is refused.
 */
export class NetDrive implements Contents.IDrive {
  constructor(options: INetDriveOptions) {
    this.atriumName = options.name;
    this.name = contentsDriveName(options.name);
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
    this._api = options.api ?? api;
    this._describe = options.describe ?? null;
    this._uploadPart = Math.max(1, options.uploadPart ?? UPLOAD_PART);
  }

  /** The Atrium drive name (slug), as in `netdrive://<atriumName>/…`. */
  readonly atriumName: string;
  readonly name: string;
  readonly serverSettings: ServerConnection.ISettings;

  get fileChanged(): ISignal<this, Contents.IChangedArgs> {
    return this._fileChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  get(
    localPath: string,
    options?: Contents.IFetchOptions
  ): Promise<Contents.IModel> {
    if (
      options?.type === 'file' &&
      options.format === 'base64' &&
      options.content !== false &&
      !options.hash
    ) {
      return this._run(async () => {
        const { model, bytes } = await this._api.getRaw(
          this.atriumName,
          localPath,
          this.serverSettings
        );
        return { ...model, format: 'base64', content: bytesToBase64(bytes) };
      });
    }
    return this._run(() =>
      this._api.getContents(
        this.atriumName,
        localPath,
        options,
        this.serverSettings
      )
    );
  }

  getDownloadUrl(localPath: string): Promise<string> {
    return Promise.resolve(
      this._api.downloadUrl(this.atriumName, localPath, this.serverSettings)
    );
  }

  async newUntitled(
    options: Contents.ICreateOptions = {}
  ): Promise<Contents.IModel> {
    const body: { type: Contents.ContentType; ext?: string } = {
      type: options.type ?? 'file'
    };
    if (options.ext && body.type === 'file') {
      body.ext = options.ext;
    }
    const model = await this._run(() =>
      this._api.newUntitled(
        this.atriumName,
        options.path ?? '',
        body,
        this.serverSettings
      )
    );
    this._emit({ type: 'new', oldValue: null, newValue: model });
    return model;
  }

  async delete(localPath: string): Promise<void> {
    await this._run(() =>
      this._api.deleteContents(this.atriumName, localPath, this.serverSettings)
    );
    this._emit({
      type: 'delete',
      oldValue: { path: localPath },
      newValue: null
    });
  }

  async rename(
    oldLocalPath: string,
    newLocalPath: string
  ): Promise<Contents.IModel> {
    const model = await this._run(() =>
      this._api.renameContents(
        this.atriumName,
        oldLocalPath,
        newLocalPath,
        this.serverSettings
      )
    );
    this._emit({
      type: 'rename',
      oldValue: { path: oldLocalPath },
      newValue: model
    });
    return model;
  }

  async save(
    localPath: string,
    options: Partial<Contents.IModel> & Contents.IContentProvisionOptions = {}
  ): Promise<Contents.IModel> {
    // `contentProviderId` is a frontend routing hint, not part of the model.
    const model: Partial<Contents.IModel> & Contents.IContentProvisionOptions =
      { ...options };
    delete model.contentProviderId;
    const saved = await this._run(() =>
      model.type === 'file' &&
      model.format === 'base64' &&
      typeof model.content === 'string'
        ? this._saveRaw(localPath, model.content, model.chunk)
        : this._api.saveContents(
            this.atriumName,
            localPath,
            model,
            this.serverSettings
          )
    );
    // A chunk before the last leaves an incomplete file: listeners (the file browser
    // refreshes its listing) hear of the upload once, when it is complete.
    if (!(typeof model.chunk === 'number' && model.chunk > 0)) {
      this._emit({ type: 'save', oldValue: null, newValue: saved });
    }
    return saved;
  }

  /**
   * Stores `file` (a File from the upload button or a drop, or any Blob) at `localPath`
   * as raw bytes, `uploadPart` bytes a request, read straight from the Blob.
   *
   * JupyterLab's own uploader reads every MiB as a data URL and this drive decodes the
   * base64 again before sending it; streaming slices of the Blob skips both and the
   * per-chunk listing refreshes, which made uploads about four times faster (see
   * docs/netdrive.md, "Speed"). Nothing of the file is held in memory beyond one part.
   * `onProgress(bytesSent)` runs after each part; listeners hear one 'save' at the end.
   */
  async upload(
    localPath: string,
    file: Blob,
    onProgress?: (bytesSent: number) => void
  ): Promise<Contents.IModel> {
    // One request (no chunk number) when the file fits in one part, else chunks
    // 1, 2, ..., -1 as in the contents API's chunked upload.
    const parts = Math.max(1, Math.ceil(file.size / this._uploadPart));
    let saved: Contents.IModel | null = null;
    for (let index = 0; index < parts; index++) {
      const start = index * this._uploadPart;
      const end = Math.min(start + this._uploadPart, file.size);
      const chunk =
        parts === 1 ? undefined : index === parts - 1 ? -1 : index + 1;
      const body = file.slice(start, end);
      saved = await this._run(() =>
        this._api.putRaw(
          this.atriumName,
          localPath,
          body,
          chunk,
          this.serverSettings
        )
      );
      onProgress?.(end);
    }
    const model = saved as Contents.IModel;
    this._emit({ type: 'save', oldValue: null, newValue: model });
    return model;
  }

  private _saveRaw(
    localPath: string,
    content: string,
    chunk: number | undefined
  ): Promise<Contents.IModel> {
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(content);
    } catch {
      // Refused before anything is sent: a garbled file is never written.
      return Promise.reject(new AtriumRequestError('', 400, 'invalid-content'));
    }
    return this._api.putRaw(
      this.atriumName,
      localPath,
      bytes,
      chunk,
      this.serverSettings
    );
  }

  async copy(localPath: string, toLocalDir: string): Promise<Contents.IModel> {
    const model = await this._run(() =>
      this._api.copyContents(
        this.atriumName,
        localPath,
        toLocalDir,
        this.serverSettings
      )
    );
    this._emit({ type: 'new', oldValue: null, newValue: model });
    return model;
  }

  createCheckpoint(localPath: string): Promise<Contents.ICheckpointModel> {
    return Promise.resolve({
      id: NO_CHECKPOINT_ID,
      last_modified: new Date().toISOString()
    });
  }

  listCheckpoints(localPath: string): Promise<Contents.ICheckpointModel[]> {
    return Promise.resolve([]);
  }

  restoreCheckpoint(localPath: string, checkpointID: string): Promise<void> {
    return Promise.reject(
      new NetDriveError(
        404,
        'Network drives keep no checkpoints: there is nothing to revert to.',
        'no-checkpoints'
      )
    );
  }

  deleteCheckpoint(localPath: string, checkpointID: string): Promise<void> {
    return Promise.resolve();
  }

  private _emit(args: Contents.IChangedArgs): void {
    if (!this._isDisposed) {
      this._fileChanged.emit(args);
    }
  }

  private async _run<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof AtriumRequestError) {
        const message =
          error.message || (this._describe ? this._describe(error) : '');
        throw new NetDriveError(error.status, message, error.reason);
      }
      throw error;
    }
  }

  private _api: NetDriveFilesApi;
  private _uploadPart: number;
  private _describe: ((error: AtriumRequestError) => string) | null;
  private _fileChanged = new Signal<this, Contents.IChangedArgs>(this);
  private _isDisposed = false;
}
