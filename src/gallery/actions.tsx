import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { AtriumRequestError, describeError } from '../common/request';
import {
  GalleryConflictError,
  GalleryNotStrippedError,
  createChangeRequest,
  getContent,
  getNotebook,
  publishNotebook,
  updateNotebook,
  versionEtag
} from './api';
import { IPublishFields, formatTags, toNotebookFields } from './dialogs/fields';
import { runSubmitDialog } from './dialogs/form';
import { IOutgoing, MessageBody, PublishBody } from './dialogs/forms';
import { showNotebookDiff } from './diff';
import { localDiffOptions } from './diff/reopen';
import { contentHash, utf8 } from './hash';
import { IMetadataModel, removeLink, writeLink } from './link';
import { INotebookModelLike, stripNotebookModel } from './model';
import { MAX_DEPTH, StripError } from './rules';
import { findLikelySecrets } from './secrets';
import { differsFromLink, GallerySync } from './sync';
import {
  IChangeRequest,
  IGalleryLink,
  IGalleryPolicy,
  IGallerySettings,
  INotebookSummary,
  ITaggedSummary
} from './types';

/*
 * The gallery flows of the notebook toolbar and the commands: publish, update (with the
 * conflict dialog), change request, fork, unlink, diff. Every request goes through api.ts;
 * the notebook is stripped straight from its model (outputs are never serialised).
 */

/**
 * The API calls the flows make (the module's functions; tests pass stand-ins).
 */
export interface IFlowApi {
  publishNotebook: typeof publishNotebook;
  updateNotebook: typeof updateNotebook;
  getNotebook: typeof getNotebook;
  getContent: typeof getContent;
  createChangeRequest: typeof createChangeRequest;
}

export const DEFAULT_FLOW_API: IFlowApi = {
  publishNotebook,
  updateNotebook,
  getNotebook,
  getContent,
  createChangeRequest
};

export type ConflictChoice = 'diff' | 'overwrite' | 'open' | 'cancel';

export interface IFlowContext {
  trans: TranslationBundle;
  translator: ITranslator | null;
  settings: () => IGallerySettings;
  /** The gallery policy (cached; rejects while the service cannot be reached). */
  policy: () => Promise<IGalleryPolicy>;
  api: IFlowApi;
  /** Opens a copy of a gallery version; null without a document manager. */
  openCopy: ((id: string, version: number) => Promise<string | null>) | null;
  /** Asks what to do about a stale update (the conflict dialog by default). */
  askConflict?: (
    current: INotebookSummary,
    base: number,
    canOpen: boolean
  ) => Promise<ConflictChoice>;
  /** Shows a diff (the diff dialog by default). */
  showDiff?: typeof showNotebookDiff;
}

/**
 * One open notebook as the flows see it.
 */
export interface INotebookTarget {
  model: INotebookModelLike & IMetadataModel;
  /** The file name, for a default title. */
  name: string;
  /** The file's path, for what is restored after a reload (a diff tab). */
  path?: string;
  sync: GallerySync;
  isDirty(): boolean;
  save(): Promise<void>;
}

/**
 * The stripped notebook about to be sent, and what the dialogs show about it.
 */
export interface IPrepared extends IOutgoing {
  notebook: INotebookContent;
  hash: string;
}

export function prepareOutgoing(
  model: INotebookModelLike,
  policy: IGalleryPolicy,
  settings: IGallerySettings
): IPrepared {
  const { notebook, report } = stripNotebookModel(model, {
    allowAttachments: policy.allowAttachments
  });
  const secrets = settings.warnAboutSecrets
    ? findLikelySecrets(notebook as unknown as Record<string, unknown>)
    : [];
  return {
    notebook,
    report,
    secrets,
    sizeBytes: utf8(JSON.stringify(notebook)).length,
    maxBytes: policy.maxNotebookBytes,
    hash: contentHash(notebook)
  };
}

/**
 * Why the strip refused the notebook, for the user. Nothing was sent and the notebook is
 * unchanged; JupyterLab converts older notebooks when it opens them, so saving one is the
 * fix for an old format.
 */
export function describeStripError(
  error: StripError,
  trans: TranslationBundle
): string {
  switch (error.reason) {
    case 'old-nbformat':
      return trans.__(
        'This notebook uses nbformat %1, and the gallery accepts nbformat 4. Save it in JupyterLab, which converts it, then publish it again. Nothing was sent.',
        error.nbformat ?? '?'
      );
    case 'unsupported-nbformat':
      return trans.__(
        'This notebook uses nbformat %1, which this version of Atrium does not read. Nothing was sent.',
        error.nbformat ?? '?'
      );
    case 'too-deep':
      return trans.__(
        "The notebook's metadata is nested more than %1 levels deep, which the gallery does not accept. Nothing was sent.",
        MAX_DEPTH
      );
    default:
      return trans.__(
        'This file is not a notebook the gallery can read. Nothing was sent.'
      );
  }
}

/**
 * The outgoing notebook, or null once the user has been told why the strip refused it.
 */
async function prepareOrExplain(
  ctx: IFlowContext,
  target: INotebookTarget,
  policy: IGalleryPolicy
): Promise<IPrepared | null> {
  try {
    return prepareOutgoing(target.model, policy, ctx.settings());
  } catch (error) {
    if (!(error instanceof StripError)) {
      throw error;
    }
    await showDialog({
      title: ctx.trans.__('This notebook cannot be sent to the gallery'),
      body: describeStripError(error, ctx.trans),
      buttons: [Dialog.okButton({ label: ctx.trans.__('Close') })]
    });
    return null;
  }
}

/**
 * A failed request as the form dialogs show it.
 */
export function describeFailure(
  error: unknown,
  trans: TranslationBundle
): { message: string; details: string[] } {
  if (error instanceof GalleryNotStrippedError) {
    return {
      message:
        error.message ||
        trans.__(
          'The gallery found content the strip should have removed; nothing was published.'
        ),
      details: error.problems
    };
  }
  if (error instanceof AtriumRequestError && error.status === 413) {
    return {
      message:
        error.message ||
        trans.__('The notebook is larger than this gallery accepts.'),
      details: []
    };
  }
  return { message: describeError(error, trans), details: [] };
}

async function loadPolicy(ctx: IFlowContext): Promise<IGalleryPolicy | null> {
  try {
    return await ctx.policy();
  } catch (error) {
    await showDialog({
      title: ctx.trans.__('The gallery cannot be reached'),
      body: describeError(error, ctx.trans),
      buttons: [Dialog.okButton({ label: ctx.trans.__('Close') })]
    });
    return null;
  }
}

/**
 * Record a successful publish or update in the notebook: the link, the sync state, and
 * (when the notebook had no unsaved changes) the file, so the link is kept.
 */
export async function commitLink(
  target: INotebookTarget,
  link: IGalleryLink,
  tagged: ITaggedSummary
): Promise<void> {
  const wasClean = !target.isDirty();
  writeLink(target.model, link);
  target.sync.setRemote(tagged);
  if (wasClean) {
    // Not awaited: the gallery already has the notebook, and saving a large notebook can
    // take seconds that the user would otherwise spend looking at a busy dialog.
    void target.save().catch(error => {
      console.warn('Atrium gallery: could not save the gallery link', error);
    });
  }
}

function stem(name: string): string {
  return name.replace(/\.ipynb$/i, '');
}

/**
 * Publish the notebook as a new gallery entry; with `fork`, as a new entry that remembers
 * the linked one as its parent. Returns the new summary, or null when cancelled.
 */
export async function publishFlow(
  ctx: IFlowContext,
  target: INotebookTarget,
  options: { fork?: boolean } = {}
): Promise<INotebookSummary | null> {
  const trans = ctx.trans;
  const policy = await loadPolicy(ctx);
  if (!policy) {
    return null;
  }
  const prepared = await prepareOrExplain(ctx, target, policy);
  if (!prepared) {
    return null;
  }
  const parent = options.fork ? target.sync.link : null;
  const source = options.fork ? target.sync.summary : null;
  const initial: IPublishFields = {
    title: source ? trans.__('%1 (fork)', source.title) : stem(target.name),
    description: source?.description ?? '',
    tags: formatTags(source?.tags ?? []),
    visibility: source?.visibility ?? 'public',
    acknowledged: false
  };
  const body = new PublishBody(
    initial,
    prepared,
    trans,
    options.fork
      ? trans.__(
          'Publish this notebook as a new gallery entry of your own. The original stays as it is and is remembered as its parent.'
        )
      : trans.__(
          'Outputs and other run-time data are removed in your browser before anything is sent.'
        )
  );
  const tagged = await runSubmitDialog({
    title: options.fork
      ? trans.__('Fork in the gallery')
      : trans.__('Publish to gallery'),
    body,
    className: options.fork
      ? 'jp-Atrium-Gallery-forkDialog'
      : 'jp-Atrium-Gallery-publishDialog',
    busyText: trans.__('Publishing…'),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({
        label: options.fork ? trans.__('Fork') : trans.__('Publish')
      })
    ],
    describe: error => describeFailure(error, trans),
    submit: async fields => {
      const result = await ctx.api.publishNotebook({
        ...toNotebookFields(fields),
        ...(parent ? { parentId: parent.id } : {}),
        notebook: prepared.notebook
      });
      const link: IGalleryLink = {
        id: result.summary.id,
        version: result.summary.version,
        contentHash: prepared.hash,
        role: 'owner'
      };
      if (parent) {
        link.parentId = parent.id;
      }
      await commitLink(target, link, result);
      return result;
    }
  });
  if (tagged) {
    Notification.success(
      trans.__('Published "%1" to the gallery.', tagged.summary.title),
      { autoClose: 5000 }
    );
  }
  return tagged?.summary ?? null;
}

/**
 * The conflict dialog: the gallery moved on since the version the notebook is based on.
 */
export async function askConflictDialog(
  trans: TranslationBundle,
  current: INotebookSummary,
  base: number,
  canOpen: boolean
): Promise<ConflictChoice> {
  const diff = Dialog.createButton({
    label: trans.__('View diff'),
    displayType: 'default',
    actions: ['atrium-diff']
  });
  const open = Dialog.createButton({
    label: trans.__('Open the gallery version'),
    displayType: 'default',
    actions: ['atrium-open']
  });
  const overwrite = Dialog.warnButton({
    label: trans.__('Overwrite'),
    actions: ['atrium-overwrite']
  });
  const buttons = [
    Dialog.cancelButton({ label: trans.__('Cancel') }),
    diff,
    ...(canOpen ? [open] : []),
    overwrite
  ];
  const dialog = new Dialog({
    title: trans.__('The gallery has a newer version'),
    body: (
      <div
        className="jp-Atrium-Gallery-conflict"
        data-testid="atrium-gallery-conflict"
      >
        <p>
          {trans.__(
            'Your notebook is based on version %1 of "%2", but the gallery now has version %3 (updated %4). Your update was not saved.',
            base,
            current.title,
            current.version,
            new Date(current.updatedAt).toLocaleString()
          )}
        </p>
        <p>
          {trans.__(
            'Overwrite publishes your notebook as version %1, replacing the changes made in version %2 as the latest. Earlier versions stay in the history.',
            current.version + 1,
            current.version
          )}
        </p>
      </div>
    ),
    buttons,
    defaultButton: 0
  });
  dialog.addClass('jp-Atrium-Gallery-conflictDialog');
  const result = await dialog.launch();
  const actions = result.button.actions;
  if (actions.includes('atrium-diff')) {
    return 'diff';
  }
  if (actions.includes('atrium-open')) {
    return 'open';
  }
  if (actions.includes('atrium-overwrite')) {
    return 'overwrite';
  }
  return 'cancel';
}

/**
 * After a 409: show what changed, overwrite (only when the user says so, with the ETag of
 * the version they saw), or open the gallery version. A second conflict while the user
 * decides brings the dialog back with the newer version. Never writes silently.
 */
export async function resolveConflict(
  ctx: IFlowContext,
  target: INotebookTarget,
  prepared: IPrepared,
  note: string,
  conflict: GalleryConflictError
): Promise<ITaggedSummary | null> {
  const trans = ctx.trans;
  const link = target.sync.link;
  if (!link) {
    return null;
  }
  let current = conflict.current;
  const ask =
    ctx.askConflict ??
    ((summary: INotebookSummary, base: number, canOpen: boolean) =>
      askConflictDialog(trans, summary, base, canOpen));
  for (;;) {
    if (!current) {
      const reply = await ctx.api.getNotebook(link.id);
      if (reply === 'not-modified') {
        return null;
      }
      current = reply.summary;
    }
    const choice = await ask(current, link.version, ctx.openCopy !== null);
    if (choice === 'cancel') {
      return null;
    }
    if (choice === 'diff') {
      const gallery = await ctx.api.getContent(link.id, current.version);
      await (ctx.showDiff ?? showNotebookDiff)({
        title: trans.__(
          '%1 and gallery version %2',
          target.name,
          current.version
        ),
        before: gallery,
        after: prepared.notebook,
        beforeLabel: trans.__('gallery version %1', current.version),
        afterLabel: trans.__('your notebook'),
        translator: ctx.translator,
        waitForClose: true // back to the choice once the diff is closed
      });
      continue;
    }
    if (choice === 'open') {
      await ctx.openCopy?.(link.id, current.version);
      return null;
    }
    try {
      return await ctx.api.updateNotebook(
        link.id,
        versionEtag(current.version),
        { notebook: prepared.notebook, note }
      );
    } catch (error) {
      if (error instanceof GalleryConflictError) {
        current = error.current;
        continue;
      }
      throw error;
    }
  }
}

type UpdateOutcome =
  | { kind: 'updated'; tagged: ITaggedSummary }
  | { kind: 'conflict'; error: GalleryConflictError; note: string };

/**
 * Publish the local notebook as a new version of its gallery entry (owner or admin).
 */
export async function updateFlow(
  ctx: IFlowContext,
  target: INotebookTarget
): Promise<INotebookSummary | null> {
  const trans = ctx.trans;
  const link = target.sync.link;
  if (!link) {
    return null;
  }
  const policy = await loadPolicy(ctx);
  if (!policy) {
    return null;
  }
  const prepared = await prepareOrExplain(ctx, target, policy);
  if (!prepared) {
    return null;
  }
  const title = target.sync.summary?.title ?? stem(target.name);
  const body = new MessageBody(prepared, trans, {
    intro: trans.__(
      'Publish your notebook as a new version of "%1" (based on version %2).',
      title,
      link.version
    ),
    label: trans.__('What changed (change note)'),
    busyText: trans.__('Publishing…'),
    required: false
  });
  const outcome = await runSubmitDialog<
    { text: string; acknowledged: boolean },
    UpdateOutcome
  >({
    title: trans.__('Update in gallery'),
    body,
    className: 'jp-Atrium-Gallery-updateDialog',
    busyText: trans.__('Publishing…'),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Publish new version') })
    ],
    describe: error => describeFailure(error, trans),
    submit: async fields => {
      const note = fields.text.trim();
      try {
        const tagged = await ctx.api.updateNotebook(
          link.id,
          versionEtag(link.version),
          { notebook: prepared.notebook, note }
        );
        return { kind: 'updated', tagged };
      } catch (error) {
        if (error instanceof GalleryConflictError) {
          return { kind: 'conflict', error, note };
        }
        throw error;
      }
    }
  });
  if (!outcome) {
    return null;
  }
  let tagged: ITaggedSummary | null;
  if (outcome.kind === 'updated') {
    tagged = outcome.tagged;
  } else {
    try {
      tagged = await resolveConflict(
        ctx,
        target,
        prepared,
        outcome.note,
        outcome.error
      );
    } catch (error) {
      await showDialog({
        title: trans.__('The update failed'),
        body: describeFailure(error, trans).message,
        buttons: [Dialog.okButton({ label: trans.__('Close') })]
      });
      return null;
    }
  }
  if (!tagged) {
    return null;
  }
  await commitLink(
    target,
    {
      ...link,
      version: tagged.summary.version,
      contentHash: prepared.hash
    },
    tagged
  );
  Notification.success(
    trans.__(
      'Published version %1 of "%2".',
      tagged.summary.version,
      tagged.summary.title
    ),
    { autoClose: 5000 }
  );
  return tagged.summary;
}

/**
 * Send the local notebook to the owner as a change request.
 */
export async function changeRequestFlow(
  ctx: IFlowContext,
  target: INotebookTarget
): Promise<IChangeRequest | null> {
  const trans = ctx.trans;
  const link = target.sync.link;
  if (!link) {
    return null;
  }
  const policy = await loadPolicy(ctx);
  if (!policy) {
    return null;
  }
  const prepared = await prepareOrExplain(ctx, target, policy);
  if (!prepared) {
    return null;
  }
  const summary = target.sync.summary;
  if (!differsFromLink(link, prepared.hash, summary)) {
    // An empty change request would only make the owner open a diff with nothing in it.
    await showDialog({
      title: trans.__('Nothing to suggest'),
      body: trans.__(
        'Your notebook is the same as version %1 in the gallery. Change a cell first, then suggest your changes to the owner.',
        link.version
      ),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return null;
  }
  const body = new MessageBody(prepared, trans, {
    intro: summary
      ? trans.__(
          'Suggest your version of "%1" to %2, its owner. They see a cell-by-cell diff and can accept it as a new version.',
          summary.title,
          summary.owner
        )
      : trans.__(
          'Suggest your version to the owner of the gallery notebook. They see a cell-by-cell diff and can accept it as a new version.'
        ),
    label: trans.__('Comment for the owner'),
    busyText: trans.__('Sending…'),
    required: true
  });
  const request = await runSubmitDialog({
    title: trans.__('Suggest changes'),
    body,
    className: 'jp-Atrium-Gallery-changeRequestDialog',
    busyText: trans.__('Sending…'),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Send change request') })
    ],
    describe: error => describeFailure(error, trans),
    submit: fields =>
      ctx.api.createChangeRequest(link.id, {
        notebook: prepared.notebook,
        comment: fields.text.trim(),
        baseVersion: link.version
      })
  });
  if (request) {
    Notification.success(
      trans.__(
        'Change request sent to the owner of "%1".',
        request.notebookTitle
      ),
      { autoClose: 5000 }
    );
  }
  return request;
}

/**
 * Remove the gallery link from the notebook (after asking). The gallery entry stays.
 */
export async function unlinkFlow(
  ctx: IFlowContext,
  target: INotebookTarget
): Promise<boolean> {
  const trans = ctx.trans;
  if (!target.sync.link) {
    return false;
  }
  const result = await showDialog({
    title: trans.__('Unlink from gallery'),
    body: trans.__(
      'This notebook will no longer be linked to its gallery entry. The gallery entry stays as it is; you can publish this notebook again as a new entry.'
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Unlink') })
    ]
  });
  if (!result.button.accept) {
    return false;
  }
  removeLink(target.model);
  await target.sync.check();
  return true;
}

/**
 * Show the diff between the gallery's latest version and the local notebook.
 */
export async function diffFlow(
  ctx: IFlowContext,
  target: INotebookTarget
): Promise<void> {
  const trans = ctx.trans;
  const link = target.sync.link;
  if (!link) {
    return;
  }
  const policy = await loadPolicy(ctx);
  if (!policy) {
    return;
  }
  const prepared = await prepareOrExplain(ctx, target, policy);
  if (!prepared) {
    return;
  }
  try {
    const gallery = await ctx.api.getContent(link.id);
    const version = target.sync.summary?.version;
    await (ctx.showDiff ?? showNotebookDiff)(
      localDiffOptions(
        ctx,
        target.name,
        gallery,
        prepared.notebook,
        version,
        // Restored after a reload from the file (as saved) at this path.
        target.path ? { kind: 'local', path: target.path } : undefined
      )
    );
  } catch (error) {
    await showDialog({
      title: trans.__('The gallery version cannot be shown'),
      body: describeError(error, trans),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
  }
}
