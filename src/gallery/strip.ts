import type {
  ExecutionCount,
  ICell,
  INotebookContent,
  MultilineString
} from '@jupyterlab/nbformat';

import {
  copyJSON,
  IMetadataReader,
  isRecord,
  JSONRecord,
  readerOf,
  setField
} from './json';
import {
  emptyReport,
  ensureReadable,
  ensureVersion,
  fieldsFor,
  IRuleNode,
  IStripRules,
  STRIP_RULES,
  StripReport
} from './rules';

export { checkStripped } from './check';
export type { IStripProblem } from './check';
export { emptyReport, StripError } from './rules';
export type { StripErrorReason, StripKind, StripReport } from './rules';
export { findLikelySecrets } from './secrets';
export type { ISecretFinding } from './secrets';

export interface IStripOptions {
  /** The admin lets notebooks keep cell attachments (images pasted into markdown). */
  allowAttachments: boolean;
}

/**
 * One cell as the strip reads it. Outputs are only counted, never read: a source backed
 * by a live notebook model can hand its cells over without serialising them.
 */
export interface IStripCellInput {
  readonly cellType: string;
  /** Absent (undefined) for notebooks older than nbformat 4.5, which have no cell ids. */
  readonly id?: unknown;
  readonly source: MultilineString;
  /** Only read, never changed. */
  readonly metadata: JSONRecord;
  /** Read only to count the files when they are removed, or to copy them when allowed. */
  readonly attachments?: unknown;
  /** Number of output items; undefined when the cell has no `outputs` field. */
  readonly outputCount?: number;
  /** undefined when the cell has no `execution_count` field. */
  readonly executionCount?: ExecutionCount;
  /** Fields outside nbformat 4's cell fields (dropped, and counted). */
  readonly otherFields?: readonly string[];
}

/**
 * A whole notebook as the strip reads it.
 */
export interface INotebookParts {
  readonly cells: Iterable<IStripCellInput>;
  /** Read key by key, so metadata that is removed (widget state) is never read. */
  readonly metadata: IMetadataReader;
  /** Anything but the supported major version is refused (`StripError`). */
  readonly nbformat: number;
  readonly nbformatMinor?: number;
  /** Top-level fields outside nbformat 4's (dropped, and counted). */
  readonly otherFields?: readonly string[];
}

export interface IStripResult {
  notebook: INotebookContent;
  report: StripReport;
}

/**
 * A metadata object without what the rules remove. A parent object that a removal leaves
 * empty (`jupyter` after `outputs_hidden`) goes too, as JupyterLab itself does.
 */
export function stripMetadata(
  source: IMetadataReader,
  rules: Map<string, IRuleNode>,
  report: StripReport,
  depth = 1
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of source.keys()) {
    const rule = rules.get(key);
    if (rule?.remove) {
      report[rule.remove] += 1;
      continue;
    }
    const value = source.get(key);
    if (value === undefined) {
      continue;
    }
    if (rule && rule.children.size > 0 && isRecord(value)) {
      const inner = stripMetadata(
        readerOf(value),
        rule.children,
        report,
        depth + 1
      );
      if (Object.keys(inner).length === 0 && Object.keys(value).length > 0) {
        continue;
      }
      setField(kept, key, inner);
    } else {
      setField(kept, key, copyJSON(value, depth + 1));
    }
  }
  return kept;
}

function countFiles(attachments: unknown): number {
  return isRecord(attachments) ? Object.keys(attachments).length : 0;
}

/**
 * One stripped cell, built from what is kept. `cell_type`, `metadata` and `source` are
 * always kept; the rule file decides which other fields a cell type may have.
 */
export function stripCell(
  input: IStripCellInput,
  options: IStripOptions,
  report: StripReport,
  rules: IStripRules = STRIP_RULES
): ICell {
  const fields = fieldsFor(rules, input.cellType);
  const cell: Record<string, unknown> = { cell_type: input.cellType };
  if (input.id !== undefined) {
    if (fields.has('id')) {
      cell.id = copyJSON(input.id);
    } else {
      report.otherFields += 1;
    }
  }
  cell.metadata = stripMetadata(
    readerOf(isRecord(input.metadata) ? input.metadata : {}),
    rules.cellTree,
    report
  );
  cell.source = copyJSON(input.source ?? '');
  if (input.attachments !== undefined) {
    if (!fields.has('attachments')) {
      report.otherFields += 1;
    } else if (options.allowAttachments) {
      cell.attachments = copyJSON(input.attachments);
    } else {
      report.attachments += countFiles(input.attachments);
    }
  }
  if (fields.has('outputs')) {
    cell.outputs = [];
    report.outputs += input.outputCount ?? 0;
  } else if (input.outputCount !== undefined) {
    report.otherFields += 1;
  }
  if (fields.has('execution_count')) {
    cell.execution_count = null;
    if (input.executionCount !== undefined && input.executionCount !== null) {
      report.executionCounts += 1;
    }
  } else if (input.executionCount !== undefined) {
    report.otherFields += 1;
  }
  report.otherFields += input.otherFields?.length ?? 0;
  // The shape is the one nbformat defines for `cell_type`, as the rule table says.
  return cell as unknown as ICell;
}

/**
 * Strip a sequence of cells, adding what was removed to `report`.
 */
export function stripCells(
  cells: Iterable<IStripCellInput>,
  options: IStripOptions,
  report: StripReport = emptyReport(),
  rules: IStripRules = STRIP_RULES
): ICell[] {
  const stripped: ICell[] = [];
  for (const cell of cells) {
    stripped.push(stripCell(cell, options, report, rules));
  }
  return stripped;
}

/**
 * Strip a notebook given as parts: the JSON form and the live model both come here.
 * Throws a `StripError` for a notebook of another nbformat major version.
 */
export function stripParts(
  parts: INotebookParts,
  options: IStripOptions,
  rules: IStripRules = STRIP_RULES
): IStripResult {
  ensureVersion(parts.nbformat, rules);
  const report = emptyReport();
  const metadata = stripMetadata(parts.metadata, rules.notebookTree, report);
  const cells = stripCells(parts.cells, options, report, rules);
  report.otherFields += parts.otherFields?.length ?? 0;
  const notebook: Record<string, unknown> = {
    cells,
    metadata,
    nbformat: parts.nbformat
  };
  if (parts.nbformatMinor !== undefined) {
    notebook.nbformat_minor = copyJSON(parts.nbformatMinor);
  }
  return { notebook: notebook as unknown as INotebookContent, report };
}

const CELL_FIELDS = new Set([
  'attachments',
  'cell_type',
  'execution_count',
  'id',
  'metadata',
  'outputs',
  'source'
]);

function has(object: JSONRecord, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * A cell of the JSON form as strip input. Reads `outputs.length` and nothing inside.
 */
export function cellInputFromJSON(cell: ICell | JSONRecord): IStripCellInput {
  const raw: JSONRecord = cell;
  const outputs = raw.outputs;
  return {
    cellType: typeof raw.cell_type === 'string' ? raw.cell_type : '',
    id: has(raw, 'id') ? raw.id : undefined,
    source: (raw.source ?? '') as MultilineString,
    metadata: isRecord(raw.metadata) ? raw.metadata : {},
    attachments: raw.attachments,
    outputCount: has(raw, 'outputs')
      ? Array.isArray(outputs)
        ? outputs.length
        : 0
      : undefined,
    executionCount: has(raw, 'execution_count')
      ? (raw.execution_count as ExecutionCount)
      : undefined,
    otherFields: Object.keys(raw).filter(key => !CELL_FIELDS.has(key))
  };
}

function* cellInputs(cells: readonly JSONRecord[]): Iterable<IStripCellInput> {
  for (const cell of cells) {
    yield cellInputFromJSON(cell);
  }
}

/**
 * Strip a notebook in its JSON form (a file read from disk, a notebook fetched from the
 * contents API). The result is a new object built from what is kept; outputs are never
 * copied or serialised. For the notebook open in JupyterLab use `stripNotebookModel`.
 * Throws a `StripError` for a notebook `ensureReadable` refuses (nbformat 2 or 3, say).
 */
export function stripNotebook(
  nb: INotebookContent,
  options: IStripOptions,
  rules: IStripRules = STRIP_RULES
): IStripResult {
  ensureReadable(nb, rules);
  const raw: JSONRecord = nb;
  return stripParts(
    {
      // ensureReadable made sure of both.
      cells: cellInputs(raw.cells as JSONRecord[]),
      metadata: readerOf(isRecord(raw.metadata) ? raw.metadata : {}),
      nbformat: raw.nbformat as number,
      nbformatMinor: has(raw, 'nbformat_minor')
        ? (raw.nbformat_minor as number)
        : undefined,
      otherFields: Object.keys(raw).filter(
        key => !rules.notebookFields.has(key)
      )
    },
    options,
    rules
  );
}
