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
import { carryAnswers, copyVersion, keptCopyPath } from './update';

/** The folder copies go in (status.ts copyPath). */
const FOLDER = 'assignments';

/**
 * The paths of the files in the copies' folder; null when there is no such folder. Read
 * by listing folders, so that a copy not made yet is no failed request in the console.
 */
export async function copiesPresent(
  contents: Contents.IManager
): Promise<Set<string> | null> {
  const root = await contents.get('', { content: true });
  const entries = (root.content ?? []) as Contents.IModel[];
  if (!entries.some(e => e.name === FOLDER && e.type === 'directory')) {
    return null;
  }
  const folder = await contents.get(FOLDER, { content: true });
  return new Set(
    ((folder.content ?? []) as Contents.IModel[]).map(e => e.path)
  );
}

async function readNotebook(
  contents: Contents.IManager,
  path: string
): Promise<unknown> {
  const model = await contents.get(path, { type: 'notebook', content: true });
  return (model.content as { metadata?: unknown } | null)?.metadata;
}

/** The path of the student's copy of `assignment` if it is in its place. */
export async function findCopy(
  contents: Contents.IManager,
  assignment: IAssignment
): Promise<string | null> {
  const path = copyPath(assignment.title);
  if (!(await copiesPresent(contents))?.has(path)) {
    return null;
  }
  return assignmentOf(await readNotebook(contents, path)) === assignment.id
    ? path
    : null;
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
  const present = await copiesPresent(contents);
  if (present?.has(path)) {
    const metadata = await readNotebook(contents, path);
    if (assignmentOf(metadata) === assignment.id) {
      const version = copyVersion(metadata);
      if (version !== null && version < assignment.version) {
        // Unsaved work in an open copy is saved first: it is what gets carried and kept.
        const open = docManager.findWidget(path);
        if (open?.context.model.dirty) {
          await open.context.save();
        }
        const outcome = await offerUpdate(
          contents,
          assignment,
          path,
          version,
          present,
          trans
        );
        if (outcome === 'cancelled') {
          return null;
        }
        if (outcome === 'updated') {
          // Open already: show what is on disk now, not the version before.
          await open?.context.revert();
        }
      }
    } else {
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
      while (present.has(copyPath(assignment.title, n))) {
        n++;
      }
      path = copyPath(assignment.title, n);
      await writeCopy(contents, assignment, path, true);
    }
  } else {
    await writeCopy(contents, assignment, path, present !== null);
  }
  docManager.openOrReveal(path);
  return path;
}

async function writeCopy(
  contents: Contents.IManager,
  assignment: IAssignment,
  path: string,
  folderExists: boolean
): Promise<void> {
  const notebook = await getStudentCopy(assignment.id);
  if (assignmentOf(notebook.metadata) !== assignment.id) {
    // The service names the assignment in every student version it hands out.
    throw new AtriumRequestError('', 200, 'invalid-reply');
  }
  if (!folderExists) {
    await contents.save(FOLDER, { type: 'directory' });
  }
  await contents.save(path, {
    type: 'notebook',
    format: 'json',
    content: notebook
  });
}

/**
 * A copy made from an earlier release: ask, then keep the copy as it was beside it and
 * write the new student version with the student's answers carried in (saying which
 * could not be). "Keep my copy as it is" changes nothing.
 */
async function offerUpdate(
  contents: Contents.IManager,
  assignment: IAssignment,
  path: string,
  version: number,
  present: ReadonlySet<string>,
  trans: TranslationBundle
): Promise<'cancelled' | 'kept' | 'updated'> {
  const kept = keptCopyPath(path, version, present);
  const choice = await showDialog({
    title: trans.__('“%1” has been corrected', assignment.title),
    body: trans.__(
      'Your copy is of version %1; version %2 is out. Update your copy? Your answers are carried into the new version, and your copy as it is now is kept as %3.',
      version,
      assignment.version,
      kept
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({
        label: trans.__('Keep my copy as it is'),
        displayType: 'default',
        actions: ['keep']
      }),
      Dialog.okButton({ label: trans.__('Update my copy') })
    ]
  });
  if (!choice.button.accept) {
    return 'cancelled';
  }
  if (choice.button.actions.includes('keep')) {
    return 'kept';
  }
  const [current, fresh] = await Promise.all([
    contents.get(path, { type: 'notebook', content: true }),
    getStudentCopy(assignment.id)
  ]);
  if (assignmentOf(fresh.metadata) !== assignment.id) {
    throw new AtriumRequestError('', 200, 'invalid-reply');
  }
  // The copy as it was first: if writing the new one fails, nothing is lost.
  await contents.save(kept, {
    type: 'notebook',
    format: 'json',
    content: current.content
  });
  const { notebook, left } = carryAnswers(current.content, fresh);
  await contents.save(path, {
    type: 'notebook',
    format: 'json',
    content: notebook
  });
  if (left.length) {
    await showDialog({
      title: trans.__('Some answers stayed in the kept copy'),
      body: trans.__(
        'The new version has no matching answer cell for: %1. Your answers to them are in %2.',
        left.join(', '),
        kept
      ),
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
  }
  return 'updated';
}
