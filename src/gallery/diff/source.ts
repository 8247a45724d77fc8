/*
 * What a diff tab shows, as ids: what the layout restorer saves for it and what its
 * command takes to open it again after a reload (the content is fetched again). Pure and
 * small: the gallery's startup code registers the restorer with it.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

/** Opens the diff of `DiffSource` arguments in a main-area tab. */
export const OPEN_DIFF_COMMAND = 'atrium-gallery:open-diff';

/** The diff tabs' tracker namespace, the prefix of the restorer's saved names. */
export const DIFF_NAMESPACE = 'atrium-gallery-diff';

/**
 * Two versions of a gallery notebook, a change request against its base version, or a
 * linked notebook (its file, as saved) against the gallery's latest version. The diff
 * the update's conflict dialog shows belongs to that dialog and has no source.
 */
export type DiffSource =
  | { kind: 'versions'; id: string; before: number; after: number }
  | { kind: 'request'; request: string }
  | { kind: 'local'; path: string };

/** Gallery and change request ids are the service's hex uuids. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;

const isId = (value: unknown): value is string =>
  typeof value === 'string' && ID.test(value);

const isVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/** The source in a command's arguments, or null when they name none (stale state). */
export function diffSourceOf(
  args: ReadonlyPartialJSONObject
): DiffSource | null {
  if (
    args.kind === 'versions' &&
    isId(args.id) &&
    isVersion(args.before) &&
    isVersion(args.after)
  ) {
    return {
      kind: 'versions',
      id: args.id,
      before: args.before,
      after: args.after
    };
  }
  if (args.kind === 'request' && isId(args.request)) {
    return { kind: 'request', request: args.request };
  }
  const path = args.path;
  if (
    args.kind === 'local' &&
    typeof path === 'string' &&
    path !== '' &&
    path.length <= 4096
  ) {
    return { kind: 'local', path };
  }
  return null;
}

/** The restorer's name of a source: one tab per diff. */
export function diffSourceName(source: DiffSource): string {
  switch (source.kind) {
    case 'versions':
      return `versions:${source.id}:${source.before}:${source.after}`;
    case 'request':
      return `request:${source.request}`;
    default:
      return `local:${source.path}`;
  }
}
