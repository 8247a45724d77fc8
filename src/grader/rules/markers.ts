/**
 * Solution and hidden-test markers in a cell's source, and what a student sees in their
 * place. Twin of jupyterlab_atrium/grader/markers.py.
 *
 * A marker is a line of its own: a comment opener (`#`, `//`, `%`, `--`, `;`, `/*` or
 * `<!--`), then `BEGIN SOLUTION`, `END SOLUTION`, `BEGIN HIDDEN TESTS` or
 * `END HIDDEN TESTS` in capitals, then only a comment closer and whitespace. Regions nest
 * as a stack and an END closes only the innermost region of its own kind: when markers are
 * broken, the student version removes more, never less (lint reports what is broken).
 */
import { FALLBACK_STUB, LOOKALIKE, MARKER } from './data';

export const SOLUTION = 'SOLUTION';
export const HIDDEN = 'HIDDEN TESTS';

export interface IMarker {
  /** 0-based line */
  readonly line: number;
  readonly begin: boolean;
  readonly kind: string;
  readonly indent: string;
  readonly opener: string;
  /** The line ends in "\r" (a CRLF source). */
  readonly cr: boolean;
}

export interface IProblem {
  readonly rule: string;
  /** 0-based line */
  readonly line: number;
  readonly message: string;
}

export interface IRegion {
  readonly kind: string;
  readonly begin: IMarker;
  /** 0-based line of the END marker; null when never closed */
  end: number | null;
}

export interface IParsed {
  readonly lines: string[];
  readonly markers: Map<number, IMarker>;
  /** outermost regions only */
  readonly regions: IRegion[];
  readonly problems: IProblem[];
  readonly lookalikes: number[];
}

function readMarker(index: number, line: string): IMarker | null {
  const match = MARKER.exec(line);
  if (match === null) {
    return null;
  }
  return {
    line: index,
    begin: match[3] === 'BEGIN',
    kind: match[4],
    indent: match[1],
    opener: match[2],
    cr: line.endsWith('\r')
  };
}

/** Find the markers and regions of a source (`\n`-separated; `\r` kept on lines). */
export function parse(source: string): IParsed {
  const parsed: IParsed = {
    lines: source.split('\n'),
    markers: new Map(),
    regions: [],
    problems: [],
    lookalikes: []
  };
  const stack: IRegion[] = [];
  parsed.lines.forEach((line, index) => {
    const marker = readMarker(index, line);
    if (marker === null) {
      if (LOOKALIKE.test(line)) {
        parsed.lookalikes.push(index);
      }
      return;
    }
    parsed.markers.set(index, marker);
    const top = stack.length > 0 ? stack[stack.length - 1] : null;
    if (marker.begin) {
      const region: IRegion = { kind: marker.kind, begin: marker, end: null };
      if (top !== null) {
        parsed.problems.push({
          rule: 'nested-marker',
          line: index,
          message:
            `BEGIN ${marker.kind} inside the ${top.kind} region opened on line ` +
            `${top.begin.line + 1}; regions cannot nest`
        });
      } else {
        parsed.regions.push(region);
      }
      stack.push(region);
    } else if (top !== null && top.kind === marker.kind) {
      stack.pop()!.end = index;
    } else if (top !== null) {
      parsed.problems.push({
        rule: 'unmatched-end',
        line: index,
        message:
          `END ${marker.kind} while the ${top.kind} region opened on line ` +
          `${top.begin.line + 1} is still open`
      });
    } else {
      parsed.problems.push({
        rule: 'unmatched-end',
        line: index,
        message: `END ${marker.kind} without a BEGIN ${marker.kind}`
      });
    }
  });
  for (const region of stack) {
    parsed.problems.push({
      rule: 'unclosed-marker',
      line: region.begin.line,
      message:
        `BEGIN ${region.kind} is never closed: add END ${region.kind} ` +
        '(the student version removes everything after it)'
    });
  }
  parsed.problems.sort((a, b) => a.line - b.line);
  return parsed;
}

export function firstMarker(parsed: IParsed, kind: string): IMarker | null {
  let first: IMarker | null = null;
  for (const marker of parsed.markers.values()) {
    if (marker.kind === kind && (first === null || marker.line < first.line)) {
      first = marker;
    }
  }
  return first;
}

export function hasSolution(parsed: IParsed): boolean {
  return parsed.regions.some(region => region.kind === SOLUTION);
}

/** Every line inside an outermost region (markers included), mapped to its region. */
export function removedLines(parsed: IParsed): Map<number, IRegion> {
  const inside = new Map<number, IRegion>();
  const last = parsed.lines.length - 1;
  for (const region of parsed.regions) {
    const end = region.end !== null ? region.end : last;
    for (let index = region.begin.line; index <= end; index++) {
      inside.set(index, region);
    }
  }
  return inside;
}

/** A one-line stub in the comment syntax of the marker, for languages without a stub. */
export function stubForOpener(opener: string): string {
  if (opener === '/*') {
    return `/* ${FALLBACK_STUB} */`;
  }
  if (opener === '<!--') {
    return `<!-- ${FALLBACK_STUB} -->`;
  }
  return `${opener} ${FALLBACK_STUB}`;
}

/**
 * The student's source and the solution lines removed from it ([0-based line, text]).
 * Solution regions become `stub` (or, when null, a one-line comment in the marker's own
 * syntax), indented like the BEGIN line; hidden-test regions and stray markers vanish.
 */
export function transform(
  parsed: IParsed,
  stub: readonly string[] | null
): [string, [number, string][]] {
  const inside = removedLines(parsed);
  const out: string[] = [];
  const solution: [number, string][] = [];
  parsed.lines.forEach((line, index) => {
    const region = inside.get(index);
    if (region === undefined) {
      if (!parsed.markers.has(index)) {
        out.push(line);
      }
      return;
    }
    if (index === region.begin.line && region.kind === SOLUTION) {
      const begin = region.begin;
      const lines = stub !== null ? stub : [stubForOpener(begin.opener)];
      const eol = begin.cr ? '\r' : '';
      for (const stubLine of lines) {
        out.push(begin.indent + stubLine + eol);
      }
    }
    if (region.kind === SOLUTION && !parsed.markers.has(index)) {
      solution.push([index, line]);
    }
  });
  return [out.join('\n'), solution];
}
