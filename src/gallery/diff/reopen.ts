/*
 * A diff tab's content fetched from its ids (source.ts): when the gallery opens one, and
 * when a reload restores it (restore.ts).
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { INotebookContent } from '@jupyterlab/nbformat';
import type { Contents } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { atriumBundle } from '../../common/translation';
import { getChangeRequest, getContent, getNotebook, getPolicy } from '../api';
import { readLink } from '../link';
import { stripNotebook } from '../strip';
import type { IShowDiffOptions } from './dialog';
import type { DiffSource } from './source';
import { openDiffTab } from './tab';

export interface IDiffEnv {
  trans: TranslationBundle;
  translator: ITranslator | null;
  /** Where a linked notebook's file is read (`local` sources). */
  contents?: Contents.IManager;
  /** Saves a request when the caller knows the title of the notebook compared. */
  notebookTitle?: string;
}

/**
 * A linked notebook (stripped as it would be sent) against the gallery's version: the
 * View Diff with Gallery tab, opened from the notebook or restored from its file.
 */
export function localDiffOptions(
  env: IDiffEnv,
  name: string,
  gallery: unknown,
  local: INotebookContent,
  version: number | undefined,
  source?: DiffSource
): IShowDiffOptions {
  const { trans } = env;
  return {
    // Named after the notebook: a tab per notebook (the same title replaces its tab).
    title: trans.__('%1 and the gallery', name),
    before: gallery,
    after: local,
    beforeLabel: version
      ? trans.__('gallery version %1', version)
      : trans.__('gallery'),
    afterLabel: trans.__('your notebook'),
    translator: env.translator,
    source
  };
}

/** A linked notebook's file against the gallery's latest version. */
async function fromFile(
  env: IDiffEnv,
  source: DiffSource & { kind: 'local' }
): Promise<IShowDiffOptions> {
  if (!env.contents) {
    throw new Error('no contents manager to read the notebook');
  }
  const file = await env.contents.get(source.path, {
    type: 'notebook',
    content: true
  });
  const notebook = file.content as INotebookContent;
  const metadata = (notebook.metadata ?? {}) as Record<string, unknown>;
  const link = readLink({ getMetadata: key => metadata[key] });
  if (!link) {
    throw new Error(`${source.path} is no longer linked to the gallery`);
  }
  const [policy, gallery, summary] = await Promise.all([
    getPolicy(),
    getContent(link.id),
    getNotebook(link.id)
  ]);
  const local = stripNotebook(notebook, {
    allowAttachments: policy.allowAttachments
  }).notebook;
  const version =
    summary === 'not-modified' ? undefined : summary.summary.version;
  return localDiffOptions(env, file.name, gallery, local, version, source);
}

/** What the tab of `source` shows; rejects when what it compares is gone. */
export async function diffOptionsOf(
  source: DiffSource,
  env: IDiffEnv
): Promise<IShowDiffOptions> {
  const { trans, translator } = env;
  if (source.kind === 'local') {
    return fromFile(env, source);
  }
  if (source.kind === 'versions') {
    const { id, before, after } = source;
    const [a, b, title] = await Promise.all([
      getContent(id, before),
      getContent(id, after),
      env.notebookTitle ??
        getNotebook(id).then(reply =>
          reply === 'not-modified' ? '' : reply.summary.title
        )
    ]);
    return {
      title: trans.__('%1: version %2 → version %3', title, before, after),
      before: a,
      after: b,
      beforeLabel: trans.__('Version %1', before),
      afterLabel: trans.__('Version %1', after),
      translator,
      source
    };
  }
  const request = await getChangeRequest(source.request);
  const base = await getContent(request.notebookId, request.baseVersion);
  return {
    title: trans.__(
      'Change request by %1 for "%2"',
      request.author,
      request.notebookTitle
    ),
    before: base,
    after: request.notebook,
    beforeLabel: trans.__('Version %1', request.baseVersion),
    afterLabel: trans.__('Proposed by %1', request.author),
    translator,
    source
  };
}

/** Opens the tab of `source` again (the restorer's command). */
export async function reopenDiff(
  app: JupyterFrontEnd,
  source: DiffSource,
  translator: ITranslator | null
): Promise<void> {
  const env: IDiffEnv = {
    trans: atriumBundle(translator),
    translator,
    contents: app.serviceManager.contents
  };
  await openDiffTab(app, await diffOptionsOf(source, env));
}
