/**
 * Lint rules for an instructor notebook. Twin of jupyterlab_atrium/grader/lint.py.
 *
 * Each finding names the rule, a severity, the cell (0-based index and id), the line
 * (1-based) where it applies, and a message an instructor can act on.
 */
import {
  Analysis,
  analyse,
  exerciseOf,
  ICellInfo,
  IFinding,
  roleOf,
  Severity
} from './analysis';
import {
  ANSWER_ROLES,
  BINARY_MIME_TYPES,
  hasOwn,
  isObject,
  LIMITS,
  stripWhitespace
} from './data';
import { firstMarker, hasSolution, HIDDEN, SOLUTION } from './markers';
import { build, IBuilt, ISecret } from './student';

/** What looking at one more text costs in the leak search, in characters scanned. */
const TEXT_COST = 100;

function isAnswer(role: string | null): boolean {
  return role !== null && ANSWER_ROLES.has(role);
}

function roleText(info: ICellInfo): string {
  const role = roleOf(info);
  return role === null
    ? 'a cell without grader metadata'
    : `a cell of role ${role}`;
}

function markerRules(analysis: Analysis, info: ICellInfo): void {
  const parsed = info.parsed;
  const role = roleOf(info);
  for (const problem of parsed.problems) {
    analysis.add(
      problem.rule,
      'error',
      info,
      problem.line + 1,
      problem.message
    );
  }
  if (info.graderValid) {
    const solution = firstMarker(parsed, SOLUTION);
    if (solution !== null && !isAnswer(role)) {
      analysis.add(
        'misplaced-marker',
        'error',
        info,
        solution.line + 1,
        `solution markers in ${roleText(info)}: only answer, expected-output and manual ` +
          'cells have solutions (the student version still replaces the region with a stub)'
      );
    }
    const hidden = firstMarker(parsed, HIDDEN);
    if (hidden !== null && role !== 'tests') {
      analysis.add(
        'misplaced-marker',
        'error',
        info,
        hidden.line + 1,
        `hidden-test markers in ${roleText(info)}: only tests cells have hidden tests ` +
          '(the student version still removes the region)'
      );
    }
  }
  const severity: Severity =
    isAnswer(role) || role === 'tests' ? 'error' : 'warning';
  for (const line of parsed.lookalikes) {
    analysis.add(
      'marker-lookalike',
      severity,
      info,
      line + 1,
      'this line mentions a marker but is not one, so it stays in the student version: ' +
        'a marker is a comment on a line of its own, in capitals, such as ### BEGIN SOLUTION'
    );
  }
}

function exerciseRules(analysis: Analysis): void {
  const answers = new Map<string | null, number>();
  for (const info of analysis.cells) {
    if (!isAnswer(roleOf(info))) {
      continue;
    }
    const exercise = exerciseOf(info);
    const first = answers.get(exercise);
    if (first === undefined) {
      answers.set(exercise, info.index);
    } else {
      analysis.add(
        'duplicate-exercise',
        'error',
        info,
        null,
        `exercise "${exercise}" already has its answer in cell ${first + 1}: ` +
          'each exercise has one answer, expected-output or manual cell'
      );
    }
  }
  for (const info of analysis.cells) {
    const role = roleOf(info);
    const exercise = exerciseOf(info);
    if (role === 'tests') {
      if (!hasOwn(info.grader!, 'points')) {
        analysis.add(
          'tests-without-points',
          'error',
          info,
          null,
          `this tests cell of exercise "${exercise}" has no points`
        );
      }
      if (!answers.has(exercise)) {
        analysis.add(
          'tests-without-answer',
          'warning',
          info,
          null,
          `no answer cell has exercise "${exercise}": ` +
            'these tests check nothing a student writes'
        );
      }
    } else if (isAnswer(role)) {
      if (!hasSolution(info.parsed) && stripWhitespace(info.source) !== '') {
        analysis.add(
          'answer-without-markers',
          'warning',
          info,
          null,
          'no BEGIN SOLUTION / END SOLUTION markers: the whole cell is the solution ' +
            'and the student sees only the stub'
        );
      }
      if (role === 'expected-output' && !hasOwn(info.grader!, 'expected')) {
        analysis.add(
          'expected-output-missing',
          'warning',
          info,
          null,
          'no expected output captured yet: run the cell and capture its output'
        );
      }
    }
  }
}

/** Every string in a JSON value (keys too), except binary MIME data (base64). */
function strings(value: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      found.push(item);
    } else if (Array.isArray(item)) {
      // A loop, not push(...item): a long array would overflow the argument list.
      for (const child of item) {
        stack.push(child);
      }
    } else if (isObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        found.push(key);
        if (!BINARY_MIME_TYPES.has(key)) {
          stack.push(child);
        }
      }
    }
  }
  return found;
}

function firstSecret(secrets: ISecret[], texts: string[]): ISecret | null {
  for (const secret of secrets) {
    for (const text of texts) {
      if (text.includes(secret.text)) {
        return secret;
      }
    }
  }
  return null;
}

function leak(
  analysis: Analysis,
  info: ICellInfo | null,
  line: number | null,
  secret: ISecret,
  where: string
): void {
  analysis.add(
    'solution-leak',
    'error',
    info,
    line,
    `solution text from cell ${secret.cell + 1}, line ${secret.line} is in ${where}: ` +
      'the student version would show it'
  );
}

type Finder = (secrets: ISecret[], texts: string[]) => ISecret | null;

/**
 * A finder for the first secret (in their order) that some line of the texts is, once
 * stripped: one lookup per line, whatever the number of secrets.
 */
function wholeLineFinder(secrets: ISecret[]): Finder {
  const order = new Map(secrets.map((secret, number) => [secret.text, number]));
  return (_, texts) => {
    let best: number | null = null;
    for (const text of texts) {
      for (const line of text.split('\n')) {
        const number = order.get(stripWhitespace(line));
        if (number !== undefined && (best === null || number < best)) {
          best = number;
        }
      }
    }
    return best === null ? null : secrets[best];
  };
}

interface IPlace {
  readonly info: ICellInfo | null;
  readonly line: number | null;
  readonly where: string;
  readonly strings: string[];
}

/** Everything of the student version a solution could leak into. */
function places(analysis: Analysis, built: IBuilt): IPlace[] {
  const byIndex = new Map(analysis.cells.map(info => [info.index, info]));
  const found: IPlace[] = [];
  for (const [index, cell] of built.cells) {
    const info = byIndex.get(index)!;
    const source = typeof cell.source === 'string' ? cell.source : '';
    source.split('\n').forEach((text, number) => {
      found.push({
        info,
        line: number + 1,
        where: "this cell's source",
        strings: [text]
      });
    });
    for (const where of ['attachments', 'outputs', 'metadata']) {
      if (hasOwn(cell, where)) {
        found.push({
          info,
          line: null,
          where: `this cell's ${where}`,
          strings: strings(cell[where])
        });
      }
    }
  }
  found.push({
    info: null,
    line: null,
    where: "the notebook's metadata",
    strings: strings(built.notebook.metadata ?? {})
  });
  return found;
}

function leakRules(analysis: Analysis, built: IBuilt): void {
  const secrets = built.secrets;
  if (secrets.length === 0) {
    return;
  }
  const all = places(analysis, built);
  let texts = 0;
  let chars = 0;
  for (const place of all) {
    texts += place.strings.length;
    for (const text of place.strings) {
      chars += text.length;
    }
  }
  let find: Finder = firstSecret;
  // A full search costs about (a step per text, plus a scan of its characters) per secret;
  // past the budget, whole lines still match, with one lookup per line.
  if (secrets.length * (TEXT_COST * texts + chars) > LIMITS.leakScanWork) {
    find = wholeLineFinder(secrets);
    analysis.add(
      'leak-check-limited',
      'warning',
      null,
      null,
      `too much to search in full (${secrets.length} solution lines, ${texts} lines and ` +
        'values): solution text was looked for as whole lines only'
    );
  }
  for (const place of all) {
    const secret = find(secrets, place.strings);
    if (secret !== null) {
      leak(analysis, place.info, place.line, secret, place.where);
    }
  }
}

function order(finding: IFinding): [number, number] {
  return [
    finding.cell === null ? -1 : finding.cell,
    finding.line === null ? 0 : finding.line
  ];
}

/**
 * Every problem of an instructor notebook, ordered by cell and line; never throws on bad
 * input (a notebook that cannot be read gets a finding that says why).
 */
export function lint(notebook: unknown): IFinding[] {
  const analysis = analyse(notebook);
  for (const info of analysis.cells) {
    markerRules(analysis, info);
  }
  exerciseRules(analysis);
  if (!analysis.blocked) {
    leakRules(analysis, build(analysis));
  }
  return [...analysis.findings].sort((a, b) => {
    const [cellA, lineA] = order(a);
    const [cellB, lineB] = order(b);
    return cellA - cellB || lineA - lineB;
  });
}
