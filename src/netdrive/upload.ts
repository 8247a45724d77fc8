import { shouldOverwrite } from '@jupyterlab/docmanager';
import type { FileBrowserModel, IUploadModel } from '@jupyterlab/filebrowser';
import { IChangedArgs } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import type { NetDrive } from './drive';

/** What of a drive browser's model the streamed upload uses and replaces. */
export type UploadTarget = Pick<
  FileBrowserModel,
  'allowFileUploads' | 'path' | 'uploadChanged' | 'upload' | 'manager'
>;

export interface IStreamUploadsOptions {
  translator?: ITranslator;
  /** Asks before replacing an existing file (default: JupyterLab's own dialog). */
  confirmOverwrite?: (name: string) => Promise<boolean>;
}

/**
 * Makes a drive file browser's uploads (the toolbar's upload button and drag and drop
 * both call `model.upload`) stream the file's bytes through `NetDrive.upload` instead of
 * JupyterLab's FileReader/base64 chunks. The behaviour users see is JupyterLab's: uploads
 * can be turned off, an existing file is only replaced after "Overwrite", progress shows
 * in the status bar, a failure rejects with the server's message. The large-file question
 * is not asked: nothing is read into memory, so size costs nothing but time.
 */
export function streamUploads(
  model: UploadTarget,
  drive: NetDrive,
  options: IStreamUploadsOptions = {}
): void {
  const translator = options.translator ?? nullTranslator;
  const trans = translator.load('jupyterlab');
  const confirmOverwrite =
    options.confirmOverwrite ??
    ((name: string) => shouldOverwrite(name, translator));
  // The status bar's upload indicator listens to this signal; the model only exposes it
  // read-only, and emitting on it is how another uploader can report progress there.
  const changed = model.uploadChanged as Signal<
    FileBrowserModel,
    IChangedArgs<IUploadModel | null>
  >;

  model.upload = async (
    file: File,
    path?: string
  ): Promise<Contents.IModel> => {
    if (!model.allowFileUploads) {
      throw new Error(trans.__('File uploads are disabled'));
    }
    const folder = model.manager.services.contents.localPath(
      path ?? model.path
    );
    const target = folder ? `${folder}/${file.name}` : file.name;
    // Asked of the folder the file goes to (a dropped folder's files go to subfolders).
    if (
      (await exists(drive, folder, file.name)) &&
      !(await confirmOverwrite(file.name))
    ) {
      throw new Error(trans.__('File not uploaded'));
    }
    // Paths as the rest of JupyterLab sees them carry the drive prefix.
    const shown = `${drive.name}:${target}`;
    let current: IUploadModel = { path: shown, progress: 0 };
    changed.emit({ name: 'start', newValue: current, oldValue: null });
    try {
      const saved = await drive.upload(target, file, sent => {
        const next = {
          path: shown,
          progress: file.size ? sent / file.size : 1
        };
        changed.emit({ name: 'update', newValue: next, oldValue: current });
        current = next;
      });
      changed.emit({ name: 'finish', newValue: null, oldValue: current });
      return { ...saved, path: shown };
    } catch (error) {
      changed.emit({ name: 'failure', newValue: current, oldValue: null });
      throw error;
    }
  };
}

/** Whether `folder` holds `name`, from one listing (no 404 to log when it does not). */
async function exists(
  drive: NetDrive,
  folder: string,
  name: string
): Promise<boolean> {
  const listing = await drive.get(folder, { type: 'directory', content: true });
  const items: readonly Contents.IModel[] = Array.isArray(listing.content)
    ? listing.content
    : [];
  return items.some(item => item.name === name);
}
