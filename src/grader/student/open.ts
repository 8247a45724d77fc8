/**
 * "Open" on an assignment: the student's own copy of its student version, written once
 * with the contents API in their folder and opened. An existing copy is never
 * overwritten: the student's copy of this assignment is reopened; another file at that
 * name is left alone and the student chooses.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';

import { AtriumRequestError } from '../../common/request';
import { assignmentOf } from '../check/output';
import { getStudentCopy, IAssignment } from './api';
import { copyPath } from './status';

/** The contents API status of a missing file. */
function isMissing(error: unknown): boolean {
  const status = (error as { response?: { status?: number } })?.response
    ?.status;
  return status === 404;
}

async function read(
  contents: Contents.IManager,
  path: string,
  content: boolean
): Promise<Contents.IModel | null> {
  try {
    return await contents.get(path, {
      content,
      type: content ? 'notebook' : undefined
    });
  } catch (error) {
    if (isMissing(error)) {
      return null;
    }
    throw error;
  }
}

/** Whether the student's copy of `assignment` is in its place (for the status). */
export async function copyExists(
  contents: Contents.IManager,
  assignment: IAssignment
): Promise<boolean> {
  return (await read(contents, copyPath(assignment.title), false)) !== null;
}

/** The path of the student's copy of `assignment` if it is in its place. */
export async function findCopy(
  contents: Contents.IManager,
  assignment: IAssignment
): Promise<string | null> {
  const path = copyPath(assignment.title);
  const model = await read(contents, path, true);
  const metadata = (model?.content as { metadata?: unknown } | null)?.metadata;
  return model && assignmentOf(metadata) === assignment.id ? path : null;
}

async function ensureFolder(contents: Contents.IManager, path: string) {
  const folder = path.slice(0, path.lastIndexOf('/'));
  if (folder && (await read(contents, folder, false)) === null) {
    await contents.save(folder, { type: 'directory' });
  }
}

/**
 * Open the student's copy of `assignment`, making it first if there is none. Resolves to
 * the path opened, or null when the student cancelled.
 */
export async function openAssignment(
  docManager: IDocumentManager,
  assignment: IAssignment,
  trans: TranslationBundle
): Promise<string | null> {
  const contents = docManager.services.contents;
  let path = copyPath(assignment.title);
  const existing = await read(contents, path, true);
  if (existing) {
    const metadata = (existing.content as { metadata?: unknown } | null)
      ?.metadata;
    if (assignmentOf(metadata) !== assignment.id) {
      const choice = await showDialog({
        title: trans.__('A file named %1 already exists', path),
        body: trans.__(
          'It is not your copy of “%1”, so it is left as it is. Open it anyway, or make your copy under another name?',
          assignment.title
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({
            label: trans.__('Open that file'),
            displayType: 'default'
          }),
          Dialog.okButton({
            label: trans.__('Make my copy'),
            actions: ['make-copy']
          })
        ]
      });
      if (!choice.button.accept) {
        return null;
      }
      if (!choice.button.actions.includes('make-copy')) {
        docManager.openOrReveal(path);
        return path;
      }
      let n = 2;
      while (
        (await read(contents, copyPath(assignment.title, n), false)) !== null
      ) {
        n++;
      }
      path = copyPath(assignment.title, n);
      await writeCopy(contents, assignment, path);
    }
  } else {
    await writeCopy(contents, assignment, path);
  }
  docManager.openOrReveal(path);
  return path;
}

async function writeCopy(
  contents: Contents.IManager,
  assignment: IAssignment,
  path: string
): Promise<void> {
  const notebook = await getStudentCopy(assignment.id);
  if (assignmentOf(notebook.metadata) !== assignment.id) {
    // The service names the assignment in every student version it hands out.
    throw new AtriumRequestError('', 200, 'invalid-reply');
  }
  await ensureFolder(contents, path);
  await contents.save(path, {
    type: 'notebook',
    format: 'json',
    content: notebook
  });
}
