import { IGalleryLink } from './types';

/*
 * The link between a local notebook and its gallery entry, kept in the notebook's own
 * metadata (`metadata.atrium.gallery`), so it travels with the file. The strip contract
 * removes it from what is uploaded.
 */

/**
 * The metadata access of a notebook model (`INotebookModel` of @jupyterlab/notebook).
 */
export interface IMetadataModel {
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
  deleteMetadata(key: string): unknown;
}

const ATRIUM_KEY = 'atrium';
const LINK_KEY = 'gallery';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A valid link from raw metadata, or null. A link someone edited by hand into something
 * else is treated as no link (and left alone until the user publishes or unlinks).
 */
export function parseLink(raw: unknown): IGalleryLink | null {
  if (!isRecord(raw)) {
    return null;
  }
  const { id, version, contentHash, role, parentId } = raw;
  if (
    typeof id !== 'string' ||
    !id ||
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1 ||
    typeof contentHash !== 'string' ||
    (role !== 'owner' && role !== 'copy')
  ) {
    return null;
  }
  const link: IGalleryLink = { id, version, contentHash, role };
  if (typeof parentId === 'string' && parentId) {
    link.parentId = parentId;
  }
  return link;
}

export function readLink(
  model: Pick<IMetadataModel, 'getMetadata'>
): IGalleryLink | null {
  const atrium = model.getMetadata(ATRIUM_KEY);
  return isRecord(atrium) ? parseLink(atrium[LINK_KEY]) : null;
}

/**
 * Write the link, keeping whatever else `metadata.atrium` holds.
 */
export function writeLink(model: IMetadataModel, link: IGalleryLink): void {
  const atrium = model.getMetadata(ATRIUM_KEY);
  const value: Record<string, unknown> = {
    id: link.id,
    version: link.version,
    contentHash: link.contentHash,
    role: link.role
  };
  if (link.parentId) {
    value.parentId = link.parentId;
  }
  model.setMetadata(ATRIUM_KEY, {
    ...(isRecord(atrium) ? atrium : {}),
    [LINK_KEY]: value
  });
}

/**
 * Remove the link; `metadata.atrium` goes too when nothing else is left in it.
 * Returns whether there was a link.
 */
export function removeLink(model: IMetadataModel): boolean {
  const atrium = model.getMetadata(ATRIUM_KEY);
  if (!isRecord(atrium) || !(LINK_KEY in atrium)) {
    return false;
  }
  const rest = { ...atrium };
  delete rest[LINK_KEY];
  if (Object.keys(rest).length === 0) {
    model.deleteMetadata(ATRIUM_KEY);
  } else {
    model.setMetadata(ATRIUM_KEY, rest);
  }
  return true;
}
