import type { TranslationBundle } from '@jupyterlab/translation';

import type { IInboxEvent } from '../sharingTypes';
import { registerInboxKind } from './logic';

/*
 * How the review steps are said in the inbox and the notification area (the service's
 * `reviews.py` writes them); each opens the notebook's page at its Reviews section.
 */

/** The inbox kinds of the review steps, as the service writes them. */
export const REVIEW_EVENT_KINDS = [
  'review-requested',
  'review-claimed',
  'review-approved',
  'review-changes-requested',
  'review-re-requested'
] as const;

function field(event: IInboxEvent, name: string): string {
  const value = event.detail[name];
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : '';
}

/** `text: “comment”` when the event repeats a comment, else `text`. */
function withComment(event: IInboxEvent, text: string): string {
  const comment = event.detail.comment;
  return typeof comment === 'string' && comment
    ? `${text}: “${comment}”`
    : text;
}

function requested(event: IInboxEvent, trans: TranslationBundle): string {
  const kind = field(event, 'reviewKind');
  return withComment(
    event,
    event.via.kind === 'group'
      ? trans.__(
          '%1 asks your group %2 for a %3 review of "%4"',
          event.actor,
          event.via.name,
          kind,
          event.notebookTitle
        )
      : trans.__(
          '%1 asks you for a %2 review of "%3"',
          event.actor,
          kind,
          event.notebookTitle
        )
  );
}

function claimed(event: IInboxEvent, trans: TranslationBundle): string {
  return trans.__(
    '%1 is reviewing "%2" (%3)',
    event.actor,
    event.notebookTitle,
    field(event, 'reviewKind')
  );
}

function approved(event: IInboxEvent, trans: TranslationBundle): string {
  return withComment(
    event,
    trans.__(
      '%1 approved version %2 of "%3" (%4)',
      event.actor,
      field(event, 'version'),
      event.notebookTitle,
      field(event, 'reviewKind')
    )
  );
}

function changesRequested(
  event: IInboxEvent,
  trans: TranslationBundle
): string {
  return withComment(
    event,
    trans.__(
      '%1 asks for changes to version %2 of "%3" (%4)',
      event.actor,
      field(event, 'version'),
      event.notebookTitle,
      field(event, 'reviewKind')
    )
  );
}

function reRequested(event: IInboxEvent, trans: TranslationBundle): string {
  const previous = field(event, 'previousVersion');
  const kind = field(event, 'reviewKind');
  return field(event, 'previousStatus') === 'approved'
    ? trans.__(
        '%1 published version %2 of "%3": please review it again (%4; you approved version %5)',
        event.actor,
        field(event, 'version'),
        event.notebookTitle,
        kind,
        previous
      )
    : trans.__(
        '%1 published version %2 of "%3": please review it again (%4; you asked for changes to version %5)',
        event.actor,
        field(event, 'version'),
        event.notebookTitle,
        kind,
        previous
      );
}

/** Register the review kinds with the inbox (idempotent). */
export function registerReviewEvents(): void {
  const options = { section: 'reviews' as const };
  registerInboxKind('review-requested', requested, options);
  registerInboxKind('review-claimed', claimed, options);
  registerInboxKind('review-approved', approved, options);
  registerInboxKind('review-changes-requested', changesRequested, options);
  registerInboxKind('review-re-requested', reRequested, options);
}
