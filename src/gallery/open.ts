import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { Contents } from '@jupyterlab/services';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';

import { atriumBundle } from '../common/translation';
import { getContent, getNotebook, listVersions } from './api';
import { IGalleryLink, INotebookSummary } from './types';

/**
 * What the user chose when the copy's file name is taken.
 */
export type ConflictChoice = 'open-existing' | 'save-as-new' | 'cancel';

/**
 * Ask what to do when `existing` is taken; `free` is the name a new copy would get.
 */
export type ConflictResolver = (
  existing: string,
  free: string
) => Promise<ConflictChoice>;

export interface IOpenGalleryCopyOptions {
  /** The application: its commands open the file when no document manager can. */
  app?: JupyterFrontEnd;
  commands?: JupyterFrontEnd['commands'];
  docManager: IDocumentManager;
  /** The gallery notebook. */
  id: string;
  /** A version to restore; the latest when omitted. */
  version?: number;
  /** The workspace folder, relative to the server root ('' = the root); created if missing. */
  folder: string;
  translator?: ITranslator | null;
  /** The notebook's summary when the caller has it (saves one request). */
  summary?: INotebookSummary;
  /** What to do when the name is taken; a dialog by default. */
  resolveConflict?: ConflictResolver;
}

const MAX_NAME_LENGTH = 100;
const MAX_FREE_NAME_TRIES = 1000;

/**
 * A file name (without extension) made from a notebook title: no path separators, no
 * characters Windows or SMB shares refuse, no control characters, no leading dot (hidden
 * files) and not longer than 100 characters. Falls back to "notebook".
 */
export function safeFileName(title: string): string {
  let name = title
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[/\\:*?"<>|]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+/, '')
    .replace(/[.\s]+$/, '');
  if (name.length > MAX_NAME_LENGTH) {
    name = name.slice(0, MAX_NAME_LENGTH).replace(/[.\s]+$/, '');
  }
  // Reserved device names on Windows (and so on many SMB shares).
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i.test(name)) {
    name = `${name}-notebook`;
  }
  return name || 'notebook';
}

function isNotFound(error: unknown): boolean {
  const response = (error as { response?: { status?: unknown } } | null)
    ?.response;
  return !!response && response.status === 404;
}

function isConflict(error: unknown): boolean {
  const response = (error as { response?: { status?: unknown } } | null)
    ?.response;
  return !!response && response.status === 409;
}

async function exists(contents: Contents.IManager, path: string) {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch (error) {
    if (isNotFound(error)) {
      return false;
    }
    throw error;
  }
}

/**
 * Create `folder` and its missing parents.
 */
export async function ensureFolder(
  contents: Contents.IManager,
  folder: string
): Promise<void> {
  const parts = folder.split('/').filter(part => part && part !== '.');
  let path = '';
  for (const part of parts) {
    path = path ? `${path}/${part}` : part;
    let model: Contents.IModel | null = null;
    try {
      model = await contents.get(path, { content: false });
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
    }
    if (model === null) {
      await contents.save(path, { type: 'directory' });
    } else if (model.type !== 'directory') {
      throw new Error(`${path} is a file, not a folder`);
    }
  }
}

/**
 * The first `<stem> (n).ipynb` in `folder` that does not exist.
 */
export async function freeName(
  contents: Contents.IManager,
  folder: string,
  stem: string
): Promise<string> {
  for (let n = 1; n <= MAX_FREE_NAME_TRIES; n++) {
    const path = PathExt.join(folder, `${stem} (${n}).ipynb`);
    if (!(await exists(contents, path))) {
      return path;
    }
  }
  return PathExt.join(folder, `${stem} (${UUID.uuid4().slice(0, 8)}).ipynb`);
}

/**
 * The default conflict question: a dialog with "Open existing", "Save as …" and "Cancel".
 */
export function conflictDialog(trans: TranslationBundle): ConflictResolver {
  return async (existing, free) => {
    const openExisting = Dialog.createButton({
      label: trans.__('Open existing'),
      className: 'jp-Atrium-Gallery-conflictOpen'
    });
    const saveAsNew = Dialog.okButton({
      label: trans.__('Save as %1', PathExt.basename(free)),
      className: 'jp-Atrium-Gallery-conflictSaveAs'
    });
    const result = await showDialog({
      title: trans.__('File already exists'),
      body: trans.__(
        '"%1" already exists. Atrium never overwrites a file: open the existing file, or save the copy under a new name.',
        existing
      ),
      buttons: [Dialog.cancelButton(), openExisting, saveAsNew],
      defaultButton: 2
    });
    if (result.button.className === openExisting.className) {
      return 'open-existing';
    }
    if (result.button.accept) {
      return 'save-as-new';
    }
    return 'cancel';
  };
}

async function openPath(
  options: IOpenGalleryCopyOptions,
  path: string
): Promise<void> {
  const commands = options.commands ?? options.app?.commands;
  if (commands?.hasCommand('docmanager:open')) {
    await commands.execute('docmanager:open', { path });
    return;
  }
  options.docManager.openOrReveal(path);
}

/**
 * Write `notebook` to `target` without ever replacing an existing file: it is saved under a
 * throw-away name first and then renamed, and the server's rename refuses a taken name
 * (409). Returns false when the name was taken in the meantime.
 */
async function writeNew(
  contents: Contents.IManager,
  target: string,
  notebook: INotebookContent
): Promise<boolean> {
  const folder = PathExt.dirname(target);
  const temp = PathExt.join(
    folder,
    `~atrium-copy-${UUID.uuid4().slice(0, 12)}.ipynb`
  );
  await contents.save(temp, {
    type: 'notebook',
    format: 'json',
    content: notebook
  });
  try {
    await contents.rename(temp, target);
    return true;
  } catch (error) {
    await contents.delete(temp).catch(() => undefined);
    if (isConflict(error)) {
      return false;
    }
    throw error;
  }
}

async function contentHashOf(
  summary: INotebookSummary,
  version: number
): Promise<string> {
  if (version === summary.version) {
    return summary.contentHash;
  }
  const versions = await listVersions(summary.id);
  const match = versions.find(item => item.version === version);
  return match ? match.contentHash : '';
}

/**
 * The notebook with its gallery link, as the local copy stores it.
 */
export function linkedNotebook(
  notebook: INotebookContent,
  link: IGalleryLink
): INotebookContent {
  const metadata = { ...(notebook.metadata ?? {}) } as Record<string, unknown>;
  const atrium =
    typeof metadata.atrium === 'object' &&
    metadata.atrium !== null &&
    !Array.isArray(metadata.atrium)
      ? { ...(metadata.atrium as Record<string, unknown>) }
      : {};
  atrium.gallery = { ...link };
  metadata.atrium = atrium;
  return { ...notebook, metadata } as INotebookContent;
}

/**
 * Open a copy of a gallery notebook (or of one of its versions): fetch it, write it into
 * the workspace folder with a link to the gallery (`metadata.atrium.gallery`), open it.
 *
 * An existing file is never overwritten: the user chooses to open it, to save under a free
 * name, or to cancel. Returns the path opened, or null when the user cancelled.
 */
export async function openGalleryCopy(
  options: IOpenGalleryCopyOptions
): Promise<string | null> {
  const trans = atriumBundle(options.translator);
  const contents = options.docManager.services.contents;
  const resolve = options.resolveConflict ?? conflictDialog(trans);

  let summary = options.summary;
  if (!summary || summary.id !== options.id) {
    const reply = await getNotebook(options.id);
    if (reply === 'not-modified') {
      throw new Error('unexpected 304 without If-None-Match');
    }
    summary = reply.summary;
  }
  const version = options.version ?? summary.version;
  const [notebook, contentHash] = await Promise.all([
    getContent(summary.id, options.version),
    contentHashOf(summary, version)
  ]);
  const link: IGalleryLink = {
    id: summary.id,
    version,
    contentHash,
    role: summary.canEdit ? 'owner' : 'copy'
  };
  if (summary.parentId) {
    link.parentId = summary.parentId;
  }
  const content = linkedNotebook(notebook, link);

  const folder = options.folder.replace(/^\/+|\/+$/g, '');
  await ensureFolder(contents, folder);
  const stem =
    options.version !== undefined && options.version !== summary.version
      ? `${safeFileName(summary.title)} v${version}`
      : safeFileName(summary.title);
  let target = PathExt.join(folder, `${stem}.ipynb`);

  for (;;) {
    if (await exists(contents, target)) {
      const free = await freeName(contents, folder, stem);
      const choice = await resolve(target, free);
      if (choice === 'cancel') {
        return null;
      }
      if (choice === 'open-existing') {
        await openPath(options, target);
        return target;
      }
      target = free;
    }
    if (await writeNew(contents, target, content)) {
      break;
    }
    // Taken between the check and the rename: ask again.
  }
  await openPath(options, target);
  return target;
}
