/**
 * Which assignment an instructor notebook was released as. The notebook keeps it in
 * `metadata.atrium.release` (`{id, version}`), not in `metadata.atrium.assignment`, which
 * names the assignment of a student's copy: an instructor's own notebook must not pass for
 * one. It is bookkeeping of this notebook only: what is released, previewed or self-tested
 * is the notebook without it (`releasable`).
 */
import { isObject, JSONObject } from '../rules/data';

export interface IReleaseLink {
  /** the service's assignment id, 32 hex digits */
  readonly id: string;
  /** the assignment version this notebook last released */
  readonly version: number;
}

const ID = /^[0-9a-f]{32}$/;

/** The release link in notebook metadata, or null when there is none (or it is broken). */
export function releaseOf(notebookMetadata: unknown): IReleaseLink | null {
  const atrium = isObject(notebookMetadata) ? notebookMetadata.atrium : null;
  const release = isObject(atrium) ? atrium.release : null;
  if (!isObject(release)) {
    return null;
  }
  const { id, version } = release;
  return typeof id === 'string' &&
    ID.test(id) &&
    typeof version === 'number' &&
    Number.isInteger(version) &&
    version >= 1
    ? { id, version }
    : null;
}

/** `metadata.atrium` with the link set (a new object; the input is left unchanged). */
export function withRelease(
  notebookMetadata: unknown,
  link: IReleaseLink
): JSONObject {
  const atrium =
    isObject(notebookMetadata) && isObject(notebookMetadata.atrium)
      ? notebookMetadata.atrium
      : {};
  return { ...atrium, release: { id: link.id, version: link.version } };
}

/** The notebook as it is released: without its release link (a shallow copy). */
export function releasable(notebook: JSONObject): JSONObject {
  const metadata = notebook.metadata;
  if (!isObject(metadata) || !isObject(metadata.atrium)) {
    return notebook;
  }
  if (!('release' in metadata.atrium)) {
    return notebook;
  }
  const atrium = { ...metadata.atrium };
  delete atrium.release;
  const kept: JSONObject = { ...metadata };
  if (Object.keys(atrium).length) {
    kept.atrium = atrium;
  } else {
    delete kept.atrium;
  }
  return { ...notebook, metadata: kept };
}
