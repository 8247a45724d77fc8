/**
 * The student version of an instructor notebook. Twin of jupyterlab_atrium/grader/student.py.
 *
 * Solutions become stubs; hidden tests, instructor notes, expected answers and answer
 * outputs are removed; instructions and tests are locked (`editable`/`deletable` false)
 * and answer cells cannot be deleted.
 */
import {
  Analysis,
  analyse,
  BLOCKING,
  describe,
  GraderError,
  ICellInfo,
  roleOf
} from './analysis';
import {
  ANSWER_ROLES,
  CODE_STUBS,
  copyJSON,
  hasOwn,
  isObject,
  JSONObject,
  LIMITS,
  LOCKED_ROLES,
  stripWhitespace,
  TEXT_STUB
} from './data';
import { hasSolution, stubForOpener, transform } from './markers';
import { publicCell, publicNotebook } from './metadata';

export interface ISecret {
  /** stripped solution line */
  readonly text: string;
  /** 0-based index in the instructor notebook */
  readonly cell: number;
  /** 1-based */
  readonly line: number;
}

export interface IBuilt {
  readonly notebook: JSONObject;
  /** [instructor cell index, student cell] for every cell kept, in order */
  readonly cells: [number, JSONObject][];
  readonly secrets: ISecret[];
}

const OPENERS = ['#', '//', '%', '--', ';', '/*', '<!--'];

function collectStubLines(): ReadonlySet<string> {
  const lines = new Set<string>();
  for (const stub of Object.values(CODE_STUBS)) {
    for (const line of stub) {
      lines.add(stripWhitespace(line));
    }
  }
  for (const line of TEXT_STUB) {
    lines.add(stripWhitespace(line));
  }
  for (const opener of OPENERS) {
    lines.add(stubForOpener(opener));
  }
  return lines;
}

const STUB_LINES = collectStubLines();

function dropped(info: ICellInfo): boolean {
  const role = roleOf(info);
  return role === 'notes' || (role === 'tests' && info.grader!.hidden === true);
}

function studentSource(
  info: ICellInfo,
  language: string
): [string, [number, string][]] {
  const parsed = info.parsed;
  let stub: readonly string[] | null;
  if (info.cellType === 'code') {
    stub = hasOwn(CODE_STUBS, language) ? CODE_STUBS[language] : null;
  } else {
    stub = TEXT_STUB;
  }
  let [source, solution] = transform(parsed, stub);
  const role = roleOf(info);
  if (role !== null && ANSWER_ROLES.has(role) && !hasSolution(parsed)) {
    // No markers: the whole cell is the solution (nbgrader's rule for solution cells).
    const whole = stub !== null ? stub : [stubForOpener('#')];
    const eol = info.source.includes('\r\n') ? '\r' : '';
    solution = [];
    parsed.lines.forEach((line, index) => {
      if (!parsed.markers.has(index)) {
        solution.push([index, line]);
      }
    });
    source = whole.map(line => line + eol).join('\n');
  }
  return [source, solution];
}

function studentCell(info: ICellInfo, source: string): JSONObject {
  const cell = copyJSON(info.cell);
  cell.source = source;
  const metadata = hasOwn(cell, 'metadata') ? cell.metadata : null;
  if (isObject(metadata)) {
    // nbgrader's cell metadata carries a checksum of the instructor's source.
    delete metadata.nbgrader;
  }
  const role = roleOf(info);
  if (role === null || !isObject(metadata)) {
    return cell;
  }
  if (info.cellType === 'code') {
    cell.outputs = [];
    cell.execution_count = null;
  }
  if (ANSWER_ROLES.has(role)) {
    delete cell.attachments;
  }
  (metadata.atrium as JSONObject).grader = publicCell(info.grader!);
  if (LOCKED_ROLES.has(role)) {
    metadata.editable = false;
    metadata.deletable = false;
  } else if (ANSWER_ROLES.has(role)) {
    metadata.editable = true;
    metadata.deletable = false;
  }
  return cell;
}

function secretsOf(index: number, solution: [number, string][]): ISecret[] {
  const found: ISecret[] = [];
  for (const [line, text] of solution) {
    const stripped = stripWhitespace(text);
    if (stripped.length >= LIMITS.secretMinChars && !STUB_LINES.has(stripped)) {
      found.push({ text: stripped, cell: index, line: line + 1 });
    }
  }
  return found;
}

function refusal(first: string, more: number): string {
  let text = `cannot make the student version: ${first}`;
  if (more === 1) {
    text += ' (and 1 more problem)';
  } else if (more > 1) {
    text += ` (and ${more} more problems)`;
  }
  return text;
}

/** The student version of an analysed notebook; refuses one that cannot be read. */
export function build(analysis: Analysis): IBuilt {
  if (analysis.blocked) {
    const blocking = analysis.findings.filter(finding =>
      BLOCKING.has(finding.rule)
    );
    throw new GraderError(refusal(describe(blocking[0]), blocking.length - 1));
  }
  const notebook: JSONObject = {};
  for (const [key, value] of Object.entries(analysis.notebook)) {
    if (key !== 'cells') {
      notebook[key] = copyJSON(value);
    }
  }
  if (!isObject(notebook.metadata)) {
    notebook.metadata = {};
  }
  const metadata = notebook.metadata as JSONObject;
  delete metadata.celltoolbar;
  if (!isObject(metadata.atrium)) {
    metadata.atrium = {};
  }
  (metadata.atrium as JSONObject).grader = publicNotebook(
    analysis.notebookGrader
  );
  const built: IBuilt = { notebook, cells: [], secrets: [] };
  const seen = new Set<string>();
  for (const info of analysis.cells) {
    const [source, solution] = studentSource(info, analysis.language);
    for (const secret of secretsOf(info.index, solution)) {
      if (!seen.has(secret.text)) {
        seen.add(secret.text);
        built.secrets.push(secret);
      }
    }
    if (dropped(info)) {
      continue;
    }
    built.cells.push([info.index, studentCell(info, source)]);
  }
  notebook.cells = built.cells.map(([, cell]) => cell);
  return built;
}

/**
 * The student version of `notebook` (which is left unchanged). Throws GraderError when
 * the notebook, a cell or grader metadata cannot be read. Broken markers do not stop it:
 * a region left open runs to the end of its cell.
 */
export function studentVersion(notebook: unknown): JSONObject {
  return build(analyse(notebook)).notebook;
}
