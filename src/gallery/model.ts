import type { ExecutionCount, IAttachments } from '@jupyterlab/nbformat';

import { IMetadataReader, JSONRecord } from './json';
import {
  IStripCellInput,
  IStripOptions,
  IStripResult,
  stripParts
} from './strip';

/*
 * The notebook open in JupyterLab, as the strip reads it. These are structural subsets of
 * `INotebookModel` (@jupyterlab/notebook), `ICellModel` / `ICodeCellModel`
 * (@jupyterlab/cells) and the shared models of @jupyter/ydoc 4, so a real model can be
 * passed as it is and this module needs none of those packages:
 *
 *   const { notebook, report } = stripNotebookModel(panel.content.model!, {
 *     allowAttachments: policy.allowAttachments
 *   });
 *
 * What it avoids: `model.toJSON()` and `cell.toJSON()` serialise every output, and
 * `model.metadata` deep-copies all notebook metadata, widget state included.
 */

export interface ISharedCellLike {
  getSource(): string;
  /** A copy of the cell's metadata (small; timing and view state are removed from it). */
  getMetadata(): JSONRecord;
  /** Markdown and raw cells: the stored attachments, returned without a copy. */
  getAttachments?(): IAttachments | undefined;
  /** Code cells. */
  readonly execution_count?: ExecutionCount;
}

export interface ICellModelLike {
  readonly type: string;
  readonly id: string;
  readonly sharedModel: ISharedCellLike;
  /** Code cells: the output area model; only its length is read. */
  readonly outputs?: { readonly length: number };
}

interface IYMapLike {
  get(key: string): unknown;
  keys(): Iterable<string>;
}

export interface INotebookModelLike {
  readonly cells: Iterable<ICellModelLike>;
  readonly nbformat: number;
  readonly nbformatMinor: number;
  /** One metadata key, deep-copied: only kept keys are asked for. */
  getMetadata(key: string): unknown;
  /** All metadata, deep-copied: used only to list the keys when the shared model cannot. */
  readonly metadata: JSONRecord;
  /** A `YNotebook`; its `ymeta` map lists the metadata keys without copying values. */
  readonly sharedModel: object;
}

function isYMap(value: unknown): value is IYMapLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IYMapLike).get === 'function' &&
    typeof (value as IYMapLike).keys === 'function'
  );
}

/**
 * The keys of the notebook metadata. @jupyter/ydoc 4 keeps them in the `metadata` Y.Map
 * of `YNotebook.ymeta`, which lists them without touching the values; any other shared
 * model falls back to the (copying) `metadata` getter.
 */
export function notebookMetadataKeys(model: INotebookModelLike): string[] {
  const ymeta = (model.sharedModel as { ymeta?: unknown }).ymeta;
  if (isYMap(ymeta)) {
    const metadata = ymeta.get('metadata');
    if (isYMap(metadata)) {
      return Array.from(metadata.keys());
    }
  }
  return Object.keys(model.metadata);
}

export function notebookMetadataReader(
  model: INotebookModelLike
): IMetadataReader {
  return {
    keys: () => notebookMetadataKeys(model),
    get: key => model.getMetadata(key)
  };
}

/**
 * A cell model as strip input. Reads the source, the metadata, the attachments and the
 * number of outputs, never an output.
 *
 * @param withId false for notebooks older than nbformat 4.5, which have no cell ids
 * (JupyterLab drops them from such notebooks when saving, too).
 */
export function cellInputFromModel(
  cell: ICellModelLike,
  withId: boolean
): IStripCellInput {
  const shared = cell.sharedModel;
  const isCode = cell.type === 'code';
  return {
    cellType: cell.type,
    id: withId ? cell.id : undefined,
    source: shared.getSource(),
    metadata: shared.getMetadata(),
    attachments: shared.getAttachments?.(),
    outputCount: isCode ? (cell.outputs?.length ?? 0) : undefined,
    executionCount: isCode ? (shared.execution_count ?? null) : undefined
  };
}

function* cellInputs(model: INotebookModelLike): Iterable<IStripCellInput> {
  const withId = model.nbformat > 4 || model.nbformatMinor >= 5;
  for (const cell of model.cells) {
    yield cellInputFromModel(cell, withId);
  }
}

/**
 * Strip the notebook open in JupyterLab straight from its model. The result equals
 * `stripNotebook(model.toJSON(), options)` without serialising any output.
 */
export function stripNotebookModel(
  model: INotebookModelLike,
  options: IStripOptions
): IStripResult {
  return stripParts(
    {
      cells: cellInputs(model),
      metadata: notebookMetadataReader(model),
      nbformat: model.nbformat,
      nbformatMinor: model.nbformatMinor
    },
    options
  );
}
