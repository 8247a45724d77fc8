import { TranslationBundle } from '@jupyterlab/translation';

import { STRIP_KINDS, StripKind, StripReport } from '../rules';
import { INotebookFields, Visibility } from '../types';

/*
 * The dialogs' logic without React: tags, field limits (the service's, checked here
 * first so the user need not wait for a 400) and what the strip report means to a user.
 */

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_TAGS = 20;
export const MAX_TAG = 40;
const TAG = /^[\w.+-]+$/u;

/**
 * The form fields of a publish (tags as typed: separated by commas or spaces).
 */
export interface IPublishFields {
  title: string;
  description: string;
  tags: string;
  visibility: Visibility;
  /** The user confirmed the likely secrets are not secrets (or none were found). */
  acknowledged: boolean;
}

/**
 * Tags as typed → tags as sent: split at commas and whitespace, a leading `#` dropped,
 * duplicates (ignoring case) removed, order kept.
 */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(/[\s,]+/u)) {
    const tag = raw.replace(/^#+/u, '');
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}

/**
 * What the service would refuse in the fields, as a sentence; null when they are fine.
 */
export function validateFields(
  fields: Pick<IPublishFields, 'title' | 'description' | 'tags'>,
  trans: TranslationBundle
): string | null {
  const title = fields.title.trim();
  if (!title) {
    return trans.__('A title is required.');
  }
  if (Array.from(title).length > MAX_TITLE) {
    return trans.__('The title is longer than %1 characters.', MAX_TITLE);
  }
  if (Array.from(fields.description).length > MAX_DESCRIPTION) {
    return trans.__(
      'The description is longer than %1 characters.',
      MAX_DESCRIPTION
    );
  }
  const tags = parseTags(fields.tags);
  if (tags.length > MAX_TAGS) {
    return trans.__('At most %1 tags are allowed.', MAX_TAGS);
  }
  for (const tag of tags) {
    if (Array.from(tag).length > MAX_TAG) {
      return trans.__(
        'The tag "%1" is longer than %2 characters.',
        tag,
        MAX_TAG
      );
    }
    if (!TAG.test(tag)) {
      return trans.__(
        'The tag "%1" may only contain letters, digits and _ . + -',
        tag
      );
    }
  }
  return null;
}

/**
 * The fields as the API takes them.
 */
export function toNotebookFields(fields: IPublishFields): INotebookFields {
  return {
    title: fields.title.trim(),
    description: fields.description.trim(),
    tags: parseTags(fields.tags),
    visibility: fields.visibility
  };
}

/**
 * One line per kind of thing the strip removed, for "what will be removed". The gallery
 * link is left out: it stays in the local file.
 */
export function removalLines(
  report: StripReport,
  trans: TranslationBundle
): Array<{ kind: StripKind; text: string }> {
  const lines: Array<{ kind: StripKind; text: string }> = [];
  for (const kind of STRIP_KINDS) {
    const n = report[kind];
    if (!n || kind === 'galleryLink') {
      continue;
    }
    let text: string;
    switch (kind) {
      case 'outputs':
        text = trans._n('%1 output', '%1 outputs', n);
        break;
      case 'executionCounts':
        text = trans._n('%1 execution count', '%1 execution counts', n);
        break;
      case 'widgetState':
        text = trans._n(
          'widget state (%1 entry)',
          'widget state (%1 entries)',
          n
        );
        break;
      case 'timingMetadata':
        text = trans._n(
          '%1 execution timing record',
          '%1 execution timing records',
          n
        );
        break;
      case 'attachments':
        text = trans._n('%1 attachment', '%1 attachments', n);
        break;
      case 'viewState':
        text = trans._n(
          '%1 view setting (collapsed, hidden, scrolled, trusted)',
          '%1 view settings (collapsed, hidden, scrolled, trusted)',
          n
        );
        break;
      case 'policyMetadata':
        text = trans._n(
          '%1 metadata entry the gallery policy removes',
          '%1 metadata entries the gallery policy removes',
          n
        );
        break;
      default:
        text = trans._n(
          '%1 field nbformat does not define',
          '%1 fields nbformat does not define',
          n
        );
    }
    lines.push({ kind, text });
  }
  return lines;
}

/**
 * A size in bytes for people: "512 B", "3.4 KB", "16 MB".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`;
}
