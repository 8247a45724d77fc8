/**
 * Checks of expected-output exercises. The expected output is not in the student's copy:
 * the service holds it, so the check sends what the answer cell showed, as text, and gets
 * back pass or fail (service/grading/output_check.py).
 */
import { requestAPI } from '../../common/request';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return Array.isArray(value)
    ? value.filter(part => typeof part === 'string').join('')
    : '';
}

/**
 * The text a cell showed, as the comparison reads it: what it printed to stdout and the
 * plain-text form of what it displayed, in order. Errors and stderr are left out (a
 * warning printed on the way does not make a right answer wrong).
 */
export function outputText(outputs: readonly unknown[]): string {
  let out = '';
  for (const output of outputs) {
    if (!isObject(output)) {
      continue;
    }
    if (output.output_type === 'stream') {
      if (output.name === 'stdout') {
        out += text(output.text);
      }
    } else if (
      output.output_type === 'execute_result' ||
      output.output_type === 'display_data'
    ) {
      const data = output.data;
      if (isObject(data) && 'text/plain' in data) {
        const shown = text(data['text/plain']);
        out += shown.endsWith('\n') ? shown : `${shown}\n`;
      }
    }
  }
  return out;
}

/** The assignment a student's copy belongs to (`metadata.atrium.assignment.id`). */
export function assignmentOf(notebookMetadata: unknown): string | null {
  const atrium = isObject(notebookMetadata) ? notebookMetadata.atrium : null;
  const assignment = isObject(atrium) ? atrium.assignment : null;
  const id = isObject(assignment) ? assignment.id : null;
  return typeof id === 'string' && /^[0-9a-f]{32}$/.test(id) ? id : null;
}

export interface IOutputVerdict {
  exercise: string;
  passed: boolean;
  version: number;
  /** checks left this minute; absent when the server sets no limit */
  checksLeft?: number;
}

/** `POST service/grading/assignments/{id}/output-check` */
export function checkOutput(
  assignment: string,
  exercise: string,
  output: string
): Promise<IOutputVerdict> {
  return requestAPI<IOutputVerdict>(
    `service/grading/assignments/${encodeURIComponent(assignment)}/output-check`,
    { method: 'POST', body: JSON.stringify({ exercise, output }) }
  );
}
