// The rule data lives in the Python package so the service reads the same file; webpack
// inlines it into the labextension (as strip-rules.json).
import RAW_VIEW from '../../jupyterlab_atrium/gallery/diff-view.json';

import { isRecord, JSONRecord, setField } from './json';

/*
 * The diff view of a notebook: what a colleague would see in a diff. The content hash is
 * the hash of this view (hash.ts) and the diff compares it cell by cell (diff/diff.ts),
 * so the sync status says "Local changes" exactly when the diff has something to show.
 * The service computes the same view (jupyterlab_atrium/gallery/diff_view.py); both are
 * held to tests/fixtures/diffview/.
 */

/** One cell as the diff view keeps it. */
export interface IViewCell {
  cell_type: unknown;
  /** Always one string: nbformat writes a list of lines, JupyterLab's model one string. */
  source: string;
  /** Absent when nothing is left of it. */
  metadata?: Record<string, unknown>;
  /** Absent when the cell has none. */
  attachments?: JSONRecord;
}

export interface INotebookView {
  nbformat: unknown;
  metadata?: Record<string, unknown>;
  cells: unknown[];
}

type PathTree = Map<string, PathTree | null>;

function treeOf(raw: unknown, where: string): PathTree {
  if (!Array.isArray(raw)) {
    throw new Error(`diff view: ${where} must be a list`);
  }
  const root: PathTree = new Map();
  raw.forEach((rule: unknown, index) => {
    const path = isRecord(rule) ? rule.path : undefined;
    if (
      !Array.isArray(path) ||
      path.length === 0 ||
      !path.every(key => typeof key === 'string')
    ) {
      throw new Error(`diff view: ${where}[${index}] has no valid path`);
    }
    let level = root;
    path.forEach((key: string, i) => {
      if (i === path.length - 1) {
        level.set(key, null);
        return;
      }
      let next = level.get(key);
      if (next === null) {
        return; // the whole key is already left out
      }
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    });
  });
  return root;
}

export interface IViewRules {
  notebookMetadata: PathTree;
  cellMetadata: PathTree;
}

export function compileViewRules(raw: unknown): IViewRules {
  if (!isRecord(raw)) {
    throw new Error('diff view: the rules must be an object');
  }
  return {
    notebookMetadata: treeOf(raw.notebookMetadata, 'notebookMetadata'),
    cellMetadata: treeOf(raw.cellMetadata, 'cellMetadata')
  };
}

/** The view Atrium ships (`jupyterlab_atrium/gallery/diff-view.json`). */
export const VIEW_RULES: IViewRules = compileViewRules(RAW_VIEW);

/**
 * `metadata` without the paths of `tree`, and without the objects that leaves empty.
 * Values are shared, not copied: the view is only read.
 */
function metadataView(
  metadata: JSONRecord,
  tree: PathTree
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    const rule = tree.get(key);
    if (rule === null) {
      continue;
    }
    if (rule !== undefined && isRecord(value)) {
      const inner = metadataView(value, rule);
      if (Object.keys(inner).length > 0) {
        setField(kept, key, inner);
      }
      continue;
    }
    setField(kept, key, value);
  }
  return kept;
}

function nonEmpty(
  value: Record<string, unknown>
): Record<string, unknown> | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

export function sourceText(source: unknown): string {
  if (typeof source === 'string') {
    return source;
  }
  return Array.isArray(source)
    ? source.filter((part): part is string => typeof part === 'string').join('')
    : '';
}

/**
 * The diff view of one cell (nbformat JSON).
 */
export function cellView(
  cell: JSONRecord,
  rules: IViewRules = VIEW_RULES
): IViewCell {
  const view: IViewCell = {
    cell_type: cell.cell_type,
    source: sourceText(cell.source)
  };
  const metadata = isRecord(cell.metadata)
    ? nonEmpty(metadataView(cell.metadata, rules.cellMetadata))
    : undefined;
  if (metadata) {
    view.metadata = metadata;
  }
  if (isRecord(cell.attachments) && Object.keys(cell.attachments).length > 0) {
    view.attachments = cell.attachments;
  }
  return view;
}

/**
 * The notebook level of the view: its nbformat major version and its metadata.
 */
export function notebookHeadView(
  notebook: JSONRecord,
  rules: IViewRules = VIEW_RULES
): Omit<INotebookView, 'cells'> {
  const head: Omit<INotebookView, 'cells'> = { nbformat: notebook.nbformat };
  const metadata = isRecord(notebook.metadata)
    ? nonEmpty(metadataView(notebook.metadata, rules.notebookMetadata))
    : undefined;
  if (metadata) {
    head.metadata = metadata;
  }
  return head;
}

/**
 * The diff view of a notebook (nbformat JSON). Anything that is not a JSON object is its
 * own view (the hash of such a value is still defined; the service never stores one).
 */
export function notebookView(
  notebook: unknown,
  rules: IViewRules = VIEW_RULES
): unknown {
  if (!isRecord(notebook)) {
    return notebook;
  }
  const cells = Array.isArray(notebook.cells) ? notebook.cells : [];
  return {
    ...notebookHeadView(notebook, rules),
    cells: cells.map(cell => (isRecord(cell) ? cellView(cell, rules) : cell))
  };
}
