// One rule table for the browser and the service; see the file's own comment for the
// regex subset both languages read alike.
import RAW_PATTERNS from '../../jupyterlab_atrium/gallery/secret-patterns.json';

import { isRecord, JSONRecord } from './json';

/**
 * A likely secret in a cell's source. The excerpt masks every secret found on the line,
 * so the full secret is never shown (nor kept in memory longer than the scan).
 */
export interface ISecretFinding {
  /** Index of the cell in the notebook. */
  readonly cell: number;
  /** The cell's id, or null for notebooks without cell ids. */
  readonly cellId: string | null;
  /** 1-based line in the cell's source. */
  readonly line: number;
  readonly kind: string;
  readonly label: string;
  readonly excerpt: string;
}

export interface ISecretPattern {
  readonly kind: string;
  readonly label: string;
  readonly regex: RegExp;
  readonly group: number;
  readonly mask: boolean;
  readonly reveal: number;
  readonly placeholders: boolean;
  readonly minEntropy: number;
}

export interface ISecretRules {
  readonly placeholder: RegExp;
  readonly patterns: readonly ISecretPattern[];
}

/** Characters of context shown on each side of a secret. */
export const CONTEXT = 40;
const MASK = '****';

function flagsOf(value: unknown): string {
  if (value === undefined || value === '') {
    return '';
  }
  if (value === 'i') {
    return 'i';
  }
  throw new Error(`secret patterns: unsupported flags ${String(value)}`);
}

/**
 * Validate and compile the pattern data. `u` makes `.` and classes work on code points as
 * Python's `re` does; `d` gives the position of the secret's group.
 */
export function compileSecretRules(raw: unknown): ISecretRules {
  if (
    !isRecord(raw) ||
    typeof raw.placeholder !== 'string' ||
    !Array.isArray(raw.patterns)
  ) {
    throw new Error('secret patterns: placeholder and patterns are required');
  }
  const patterns = raw.patterns.map((entry: unknown, index): ISecretPattern => {
    if (
      !isRecord(entry) ||
      typeof entry.kind !== 'string' ||
      typeof entry.label !== 'string' ||
      typeof entry.regex !== 'string' ||
      typeof entry.group !== 'number'
    ) {
      throw new Error(`secret patterns: patterns[${index}] is not valid`);
    }
    return {
      kind: entry.kind,
      label: entry.label,
      regex: new RegExp(entry.regex, `gdu${flagsOf(entry.flags)}`),
      group: entry.group,
      mask: entry.mask !== false,
      reveal: typeof entry.reveal === 'number' ? entry.reveal : 0,
      placeholders: entry.placeholders === true,
      minEntropy: typeof entry.minEntropy === 'number' ? entry.minEntropy : 0
    };
  });
  return {
    placeholder: new RegExp(
      raw.placeholder,
      `u${flagsOf(raw.placeholderFlags)}`
    ),
    patterns
  };
}

export const SECRET_RULES: ISecretRules = compileSecretRules(RAW_PATTERNS);

/**
 * Shannon entropy in bits per character (code point): random tokens score high, words
 * and identifiers low.
 */
export function entropy(text: string): number {
  const chars = Array.from(text);
  const counts = new Map<string, number>();
  for (const char of chars) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A secret as shown: at most `reveal` leading characters, and never more than a quarter
 * of it, then a fixed mask that does not even tell its length.
 */
export function maskSecret(secret: string, reveal: number): string {
  const chars = Array.from(secret);
  const shown = Math.min(reveal, Math.floor(chars.length / 4));
  return chars.slice(0, shown).join('') + MASK;
}

interface ISpan {
  /** Code point offsets in the line, as Python counts them. */
  start: number;
  end: number;
  pattern: ISecretPattern;
  secret: string;
}

// `d` flag indices; typed here because the project's lib (ES2021) predates them.
type MatchWithIndices = RegExpMatchArray & {
  indices?: Array<[number, number] | undefined>;
};

function lineSpans(line: string, rules: ISecretRules): ISpan[] {
  const spans: ISpan[] = [];
  for (const pattern of rules.patterns) {
    for (const match of line.matchAll(
      pattern.regex
    ) as Iterable<MatchWithIndices>) {
      const range = match.indices?.[pattern.group];
      if (!range) {
        continue;
      }
      const secret = line.slice(range[0], range[1]);
      if (pattern.placeholders && rules.placeholder.test(secret)) {
        continue;
      }
      if (pattern.minEntropy && entropy(secret) < pattern.minEntropy) {
        continue;
      }
      const start = Array.from(line.slice(0, range[0])).length;
      const end = start + Array.from(secret).length;
      if (spans.some(s => s.start < end && start < s.end)) {
        continue;
      }
      spans.push({ start, end, pattern, secret });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

function excerpt(chars: string[], spans: ISpan[], focus: ISpan): string {
  let before = '';
  let after = '';
  let shown = '';
  let position = 0;
  let inFocus = false;
  for (const span of spans) {
    const text = chars.slice(position, span.start).join('');
    const masked = span.pattern.mask
      ? maskSecret(span.secret, span.pattern.reveal)
      : span.secret;
    if (span === focus) {
      before += text;
      shown = masked;
      inFocus = true;
    } else if (inFocus) {
      after += text + masked;
    } else {
      before += text + masked;
    }
    position = span.end;
  }
  after += chars.slice(position).join('');
  const head = Array.from(before);
  const tail = Array.from(after);
  const left =
    head.length > CONTEXT
      ? '…' + head.slice(-CONTEXT).join('')
      : head.join('').replace(/^[ \t]+/, '');
  const right =
    tail.length > CONTEXT
      ? tail.slice(0, CONTEXT).join('') + '…'
      : tail.join('');
  return left + shown + right;
}

/**
 * Likely secrets in one source text: `line` is 1-based.
 */
export function scanSource(
  source: string,
  rules: ISecretRules = SECRET_RULES
): Array<Pick<ISecretFinding, 'line' | 'kind' | 'label' | 'excerpt'>> {
  const found: Array<
    Pick<ISecretFinding, 'line' | 'kind' | 'label' | 'excerpt'>
  > = [];
  source.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const spans = lineSpans(line, rules);
    if (spans.length === 0) {
      return;
    }
    const chars = Array.from(line);
    for (const span of spans) {
      found.push({
        line: index + 1,
        kind: span.pattern.kind,
        label: span.pattern.label,
        excerpt: excerpt(chars, spans, span)
      });
    }
  });
  return found;
}

function sourceText(source: unknown): string {
  if (typeof source === 'string') {
    return source;
  }
  return Array.isArray(source)
    ? source.filter((part): part is string => typeof part === 'string').join('')
    : '';
}

/**
 * Likely secrets (tokens, passwords, private keys) in the sources of every cell, for the
 * publish dialog to warn about before anything is sent. Outputs are not scanned: they
 * never leave the user's server.
 */
export function findLikelySecrets(
  nb: JSONRecord,
  rules: ISecretRules = SECRET_RULES
): ISecretFinding[] {
  const findings: ISecretFinding[] = [];
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  cells.forEach((cell: unknown, index) => {
    if (!isRecord(cell)) {
      return;
    }
    const cellId = typeof cell.id === 'string' ? cell.id : null;
    for (const finding of scanSource(sourceText(cell.source), rules)) {
      findings.push({ cell: index, cellId, ...finding });
    }
  });
  return findings;
}
