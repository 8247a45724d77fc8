/**
 * The code a practice check sends to the kernel for one test. It runs in a copy of the
 * student's namespace, so names the test defines do not appear among the student's
 * variables; with `silent` and no history (run.ts) it leaves no output, execution count or
 * history entry either. Builtins are reached through `__builtins__`, because students do
 * name their variables `dict` or `compile`.
 */

function escapeCodePoint(cp: number): string {
  return cp > 0xffff
    ? `\\U${cp.toString(16).padStart(8, '0')}`
    : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * A Python string literal of `text`, in ASCII: non-ASCII characters as \u/\U escapes
 * (Python does not join surrogate-pair escapes, so astral characters need \U).
 */
export function pythonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') {
      out += `\\${ch}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (cp < 0x20 || cp >= 0x7f) {
      out +=
        cp < 0x100
          ? `\\x${cp.toString(16).padStart(2, '0')}`
          : escapeCodePoint(cp);
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

export const CHECK_FILENAME = '<atrium check>';

export function checkCode(source: string): string {
  const b = '__builtins__';
  return (
    `${b}.exec(${b}.compile(${pythonString(source)}, "${CHECK_FILENAME}", "exec"), ` +
    `${b}.dict(${b}.globals()))`
  );
}
