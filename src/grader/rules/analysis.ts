/**
 * Reading an instructor notebook: its structure, each cell's grader metadata and markers.
 * Twin of jupyterlab_atrium/grader/analysis.py: the same findings, in the same order.
 */
import {
  DEFAULT_LANGUAGE,
  get,
  hasOwn,
  isObject,
  JSONObject,
  jsonType,
  LIMITS,
  tooDeep,
  tooLarge
} from './data';
import { IParsed, parse } from './markers';
import { cellProblems, notebookProblems } from './metadata';

export type Severity = 'error' | 'warning';

/** Findings that leave the notebook unreadable: no student version can be made. */
export const BLOCKING: ReadonlySet<string> = new Set([
  'notebook-invalid',
  'cell-invalid',
  'metadata-invalid'
]);

/** One lint finding; the same JSON shape as the Python twin's Finding.to_json(). */
export interface IFinding {
  readonly rule: string;
  readonly severity: Severity;
  /** 0-based index in the instructor notebook; null for the notebook itself */
  readonly cell: number | null;
  readonly cellId: string | null;
  /** 1-based line of the cell's source */
  readonly line: number | null;
  readonly message: string;
}

/** Where a finding is and what it says, for an error message or a tooltip. */
export function describe(finding: IFinding): string {
  let where =
    finding.cell === null ? 'the notebook' : `cell ${finding.cell + 1}`;
  if (finding.line !== null) {
    where += `, line ${finding.line}`;
  }
  return `${where}: ${finding.message}`;
}

/** The notebook cannot be turned into a student version; the message says where and why. */
export class GraderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraderError';
  }
}

export interface ICellInfo {
  readonly index: number;
  readonly cell: JSONObject;
  readonly cellId: string | null;
  cellType: string;
  source: string;
  /** null when the cell has none, or when it is invalid */
  grader: JSONObject | null;
  graderValid: boolean;
  parsed: IParsed;
}

export function roleOf(info: ICellInfo): string | null {
  return info.grader !== null ? (info.grader.role as string) : null;
}

export function exerciseOf(info: ICellInfo): string | null {
  return info.grader !== null && typeof info.grader.exercise === 'string'
    ? info.grader.exercise
    : null;
}

export class Analysis {
  readonly cells: ICellInfo[] = [];
  readonly findings: IFinding[] = [];
  notebookGrader: JSONObject | null = null;

  constructor(
    readonly notebook: JSONObject,
    readonly language: string
  ) {}

  get blocked(): boolean {
    return this.findings.some(finding => BLOCKING.has(finding.rule));
  }

  /** A problem with the notebook as a whole. */
  invalid(message: string): void {
    this.add('notebook-invalid', 'error', null, null, message);
  }

  add(
    rule: string,
    severity: Severity,
    info: ICellInfo | null,
    line: number | null,
    message: string
  ): void {
    this.findings.push({
      rule,
      severity,
      cell: info === null ? null : info.index,
      cellId: info === null ? null : info.cellId,
      line,
      message
    });
  }
}

function languageOf(metadata: JSONObject): string {
  const pairs: [string, string][] = [
    ['kernelspec', 'language'],
    ['language_info', 'name']
  ];
  for (const [key, name] of pairs) {
    const value = get(metadata, key);
    if (isObject(value)) {
      const language = get(value, name);
      if (typeof language === 'string' && language) {
        return language.toLowerCase();
      }
    }
  }
  return DEFAULT_LANGUAGE;
}

function sourceOf(value: unknown): string | null {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && value.every(part => typeof part === 'string')) {
    return value.join('');
  }
  return null;
}

/** [present, value, problem] for `metadata.atrium.grader`. */
function graderOf(metadata: JSONObject): [boolean, unknown, string | null] {
  const atrium = get(metadata, 'atrium');
  if (atrium === null) {
    return [false, null, null];
  }
  if (!isObject(atrium)) {
    return [
      true,
      null,
      `metadata.atrium must be an object, not ${jsonType(atrium)}`
    ];
  }
  if (!hasOwn(atrium, 'grader')) {
    return [false, null, null];
  }
  return [true, atrium.grader, null];
}

/** [valid, the grader metadata if any and valid]; what is wrong becomes findings. */
function readGrader(
  analysis: Analysis,
  info: ICellInfo | null,
  metadata: JSONObject,
  problemsOf: (grader: unknown) => string[]
): [boolean, JSONObject | null] {
  const [present, grader, problem] = graderOf(metadata);
  const problems =
    problem !== null ? [problem] : present ? problemsOf(grader) : [];
  for (const message of problems) {
    analysis.add('metadata-invalid', 'error', info, null, message);
  }
  if (problems.length > 0 || !present) {
    return [problems.length === 0, null];
  }
  return [true, grader as JSONObject];
}

function placeholder(index: number, cell: unknown): ICellInfo {
  const cellId = isObject(cell) ? get(cell, 'id') : null;
  return {
    index,
    cell: isObject(cell) ? cell : {},
    cellId: typeof cellId === 'string' ? cellId : null,
    cellType: '',
    source: '',
    grader: null,
    graderValid: false,
    parsed: parse('')
  };
}

function readCell(
  analysis: Analysis,
  index: number,
  cell: unknown
): ICellInfo | null {
  const info = placeholder(index, cell);
  if (!isObject(cell)) {
    analysis.add(
      'cell-invalid',
      'error',
      info,
      null,
      `a cell must be an object, not ${jsonType(cell)}`
    );
    return null;
  }
  const problems: string[] = [];
  const cellType = get(cell, 'cell_type');
  if (typeof cellType !== 'string') {
    problems.push(`cell_type must be a string, not ${jsonType(cellType)}`);
  }
  const source = sourceOf(get(cell, 'source'));
  if (source === null) {
    const kind = jsonType(get(cell, 'source'));
    problems.push(
      `source must be text (a string or a list of strings), not ${kind}`
    );
  } else if (source.length > LIMITS.cellChars) {
    problems.push(
      `the source has ${source.length} characters, more than the ` +
        `${LIMITS.cellChars} a graded notebook's cell may have`
    );
  }
  const metadata = hasOwn(cell, 'metadata') ? cell.metadata : {};
  if (!isObject(metadata)) {
    problems.push(`metadata must be an object, not ${jsonType(metadata)}`);
  }
  if (tooDeep(cell, LIMITS.depth)) {
    problems.push(`the cell is nested more than ${LIMITS.depth} levels deep`);
  }
  for (const problem of problems) {
    analysis.add('cell-invalid', 'error', info, null, problem);
  }
  if (problems.length > 0 || source === null || !isObject(metadata)) {
    return null;
  }
  info.cellType = cellType as string;
  info.source = source;
  [info.graderValid, info.grader] = readGrader(
    analysis,
    info,
    metadata,
    cellProblems
  );
  info.parsed = parse(source);
  return info;
}

function notebookProblem(notebook: JSONObject): string | null {
  const metadata = hasOwn(notebook, 'metadata') ? notebook.metadata : {};
  if (!isObject(metadata)) {
    return `the notebook's metadata must be an object, not ${jsonType(metadata)}`;
  }
  const rest = Object.entries(notebook)
    .filter(([key]) => key !== 'cells')
    .map(([, value]) => value);
  if (tooDeep(rest, LIMITS.depth + 1)) {
    return `the notebook (outside its cells) is nested more than ${LIMITS.depth} levels deep`;
  }
  return null;
}

/** Read a notebook; structural and metadata problems are findings, never exceptions. */
export function analyse(notebook: unknown): Analysis {
  if (!isObject(notebook)) {
    const analysis = new Analysis({}, DEFAULT_LANGUAGE);
    analysis.invalid(`a notebook must be an object, not ${jsonType(notebook)}`);
    return analysis;
  }
  if (tooLarge(notebook, LIMITS.notebookChars)) {
    const analysis = new Analysis({}, DEFAULT_LANGUAGE);
    analysis.invalid(
      `the notebook holds more than ${LIMITS.notebookChars} characters of text, ` +
        'more than a graded notebook may have'
    );
    return analysis;
  }
  const notebookLevel = notebookProblem(notebook);
  const metadata = (
    notebookLevel === null && hasOwn(notebook, 'metadata')
      ? notebook.metadata
      : {}
  ) as JSONObject;
  const analysis = new Analysis(notebook, languageOf(metadata));
  if (notebookLevel !== null) {
    analysis.invalid(notebookLevel);
  }
  analysis.notebookGrader = readGrader(
    analysis,
    null,
    metadata,
    notebookProblems
  )[1];
  const cells = get(notebook, 'cells');
  if (!Array.isArray(cells)) {
    analysis.invalid(
      `the notebook's cells must be a list, not ${jsonType(cells)}`
    );
    return analysis;
  }
  if (cells.length > LIMITS.cells) {
    analysis.invalid(
      `the notebook has ${cells.length} cells, more than the ${LIMITS.cells} ` +
        'a graded notebook may have'
    );
    return analysis;
  }
  cells.forEach((cell, index) => {
    const info = readCell(analysis, index, cell);
    if (info !== null) {
      analysis.cells.push(info);
    }
  });
  return analysis;
}
