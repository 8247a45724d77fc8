import type { TranslationBundle } from '@jupyterlab/translation';

import type { PageSection } from '../page/args';
import type { IInboxEvent } from '../sharingTypes';

/*
 * The inbox's logic apart from JupyterLab: how long to wait before the next poll, which
 * events to raise as notifications, and how each kind of event is said.
 */

export interface IPollTiming {
  /** Between two successful polls. */
  intervalMs: number;
  /** The longest wait after failures. */
  maxMs: number;
}

export const DEFAULT_TIMING: IPollTiming = {
  intervalMs: 60_000,
  maxMs: 15 * 60_000
};

/**
 * The wait before the next poll after `failures` failed polls in a row: the interval, then
 * doubling per failure (a service that is away is not asked every minute), at most `maxMs`.
 */
export function nextDelay(failures: number, timing: IPollTiming): number {
  const factor = 2 ** Math.min(Math.max(failures, 0), 20);
  return Math.min(timing.intervalMs * factor, timing.maxMs);
}

/**
 * The events to raise as notifications, oldest first: unread, and newer than both what was
 * already raised (`notifiedUpTo`, kept across reloads) and the read mark.
 */
export function eventsToNotify(
  items: readonly IInboxEvent[],
  notifiedUpTo: number,
  readUpTo: number
): IInboxEvent[] {
  const floor = Math.max(notifiedUpTo, readUpTo);
  return items
    .filter(event => !event.read && event.id > floor)
    .sort((a, b) => a.id - b.id);
}

/** How a kind of event is said; features add theirs with `registerInboxKind`. */
export type InboxDescriber = (
  event: IInboxEvent,
  trans: TranslationBundle
) => string;

export interface IInboxKindOptions {
  /** The section of the notebook's page an event of this kind opens at. */
  section?: PageSection;
}

const describers = new Map<string, InboxDescriber>();
const sections = new Map<string, PageSection>();

/**
 * Say events of `kind` with `describe` (a review request, from `reviewEvents.ts`). One
 * inbox, notification area and read mark serve every kind.
 */
export function registerInboxKind(
  kind: string,
  describe: InboxDescriber,
  options: IInboxKindOptions = {}
): void {
  describers.set(kind, describe);
  if (options.section) {
    sections.set(kind, options.section);
  } else {
    sections.delete(kind);
  }
}

/** Where on the notebook's page an event opens (undefined: at its top). */
export function eventSection(event: IInboxEvent): PageSection | undefined {
  return sections.get(event.kind);
}

registerInboxKind('share', (event, trans) => {
  const edit = event.detail.access === 'edit';
  if (event.via.kind === 'group') {
    return edit
      ? trans.__(
          '%1 shared "%2" with your group %3 to read and edit',
          event.actor,
          event.notebookTitle,
          event.via.name
        )
      : trans.__(
          '%1 shared "%2" with your group %3 to read',
          event.actor,
          event.notebookTitle,
          event.via.name
        );
  }
  return edit
    ? trans.__(
        '%1 shared "%2" with you to read and edit',
        event.actor,
        event.notebookTitle
      )
    : trans.__(
        '%1 shared "%2" with you to read',
        event.actor,
        event.notebookTitle
      );
});

/** An event in a sentence; a kind this frontend does not know is still said plainly. */
export function describeEvent(
  event: IInboxEvent,
  trans: TranslationBundle
): string {
  const describe = describers.get(event.kind);
  if (describe) {
    return describe(event, trans);
  }
  return trans.__(
    '%1: "%2" (%3)',
    event.actor,
    event.notebookTitle,
    event.kind
  );
}
