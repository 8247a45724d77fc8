import { isRecord, JSONRecord } from './json';
import {
  ensureReadable,
  fieldsFor,
  IMetadataRule,
  IStripRules,
  STRIP_RULES,
  StripKind
} from './rules';

/**
 * Something a stripped notebook must not carry. `path` locates it in the JSON
 * (`cells[3].outputs`); `message` is meant for the user.
 */
export interface IStripProblem {
  readonly path: string;
  readonly kind: StripKind;
  readonly message: string;
}

/**
 * How each metadata kind is named in a problem message.
 */
const METADATA_PHRASES: Partial<Record<StripKind, string>> = {
  widgetState: 'widget state',
  timingMetadata: 'execution timing metadata',
  viewState: 'view state',
  galleryLink: 'its gallery link',
  policyMetadata: 'metadata the gallery policy removes'
};

function hasPath(metadata: JSONRecord, path: readonly string[]): boolean {
  let level: unknown = metadata;
  for (const key of path) {
    if (!isRecord(level) || !Object.prototype.hasOwnProperty.call(level, key)) {
      return false;
    }
    level = level[key];
  }
  return true;
}

function metadataProblems(
  metadata: unknown,
  rules: readonly IMetadataRule[],
  prefix: string,
  where: string
): IStripProblem[] {
  if (!isRecord(metadata)) {
    return [];
  }
  return rules
    .filter(rule => hasPath(metadata, rule.path))
    .map(rule => {
      const path = `metadata.${rule.path.join('.')}`;
      return {
        path: prefix + path,
        kind: rule.kind,
        message: `${where} still has ${METADATA_PHRASES[rule.kind]} (${path}).`
      };
    });
}

function otherField(path: string, where: string, key: string): IStripProblem {
  return {
    path,
    kind: 'otherFields',
    message: `${where} has a field nbformat 4 does not define there (${key}).`
  };
}

function cellProblems(
  cell: JSONRecord,
  index: number,
  allowAttachments: boolean,
  rules: IStripRules
): IStripProblem[] {
  const prefix = `cells[${index}].`;
  const where = `Cell ${index + 1}`;
  const type = typeof cell.cell_type === 'string' ? cell.cell_type : '';
  const fields = fieldsFor(rules, type);
  const problems: IStripProblem[] = [];
  const outputs = cell.outputs;
  if (
    fields.has('outputs') &&
    outputs !== undefined &&
    !(Array.isArray(outputs) && outputs.length === 0)
  ) {
    const count = Array.isArray(outputs) ? outputs.length : 0;
    problems.push({
      path: `${prefix}outputs`,
      kind: 'outputs',
      message: count
        ? `${where} still has ${count} output${count === 1 ? '' : 's'}.`
        : `${where} still has outputs.`
    });
  }
  const count = cell.execution_count;
  if (fields.has('execution_count') && count !== undefined && count !== null) {
    problems.push({
      path: `${prefix}execution_count`,
      kind: 'executionCounts',
      message: `${where} still has an execution count.`
    });
  }
  if (
    fields.has('attachments') &&
    cell.attachments !== undefined &&
    !allowAttachments
  ) {
    problems.push({
      path: `${prefix}attachments`,
      kind: 'attachments',
      message: `${where} still has attachments; this gallery does not accept them.`
    });
  }
  const always = ['cell_type', 'metadata', 'source'];
  for (const key of Object.keys(cell).sort()) {
    if (!fields.has(key) && !always.includes(key)) {
      problems.push(otherField(prefix + key, where, key));
    }
  }
  problems.push(
    ...metadataProblems(cell.metadata, rules.cellMetadata, prefix, where)
  );
  return problems;
}

/**
 * Everything the strip contract removes that is still in `nb`; empty for a stripped
 * notebook. The Atrium service runs the same check (`check_stripped` in Python) on every
 * notebook it receives and refuses one that fails it. Throws a `StripError` for a
 * notebook `ensureReadable` refuses, as the strip does.
 */
export function checkStripped(
  nb: JSONRecord,
  options: { allowAttachments?: boolean } = {},
  rules: IStripRules = STRIP_RULES
): IStripProblem[] {
  ensureReadable(nb, rules);
  const problems: IStripProblem[] = [];
  for (const key of Object.keys(nb).sort()) {
    if (!rules.notebookFields.has(key)) {
      problems.push(otherField(key, 'The notebook', key));
    }
  }
  problems.push(
    ...metadataProblems(nb.metadata, rules.notebookMetadata, '', 'The notebook')
  );
  (nb.cells as JSONRecord[]).forEach((cell, index) => {
    problems.push(
      ...cellProblems(cell, index, options.allowAttachments ?? false, rules)
    );
  });
  return problems;
}
