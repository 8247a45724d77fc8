/**
 * The release dialog's values and their rules, apart from the DOM: defaults (from the
 * assignment when it is re-released, else from the notebook), and the request fields with
 * the service's own checks made first (assignments.py Policy.read), so that a mistake is
 * shown on its field instead of coming back as a 400.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { IFinding } from '../rules/analysis';
import { isObject } from '../rules/data';
import type { Counted } from '../student/api';
import type { IAssignmentSummary, IReleasePolicy, Reveal } from './api';

export const REVEALS: readonly Reveal[] = [
  'test-code-and-message',
  'message-only',
  'score-only'
];
export const COUNTED: readonly Counted[] = ['latest', 'best'];
/** assignments.py MAX_TITLE */
export const MAX_TITLE = 200;

export interface IReleaseForm {
  title: string;
  /** `<input type="datetime-local">` values, local time; '' for none */
  deadline: string;
  /** 'none': late work is not accepted; 'until': until `lateUntil` */
  late: 'none' | 'until';
  lateUntil: string;
  /** the fraction lost, in percent, as typed */
  latePenalty: string;
  reveal: Reveal;
  counted: Counted;
}

export type FormResult =
  { policy: IReleasePolicy } | { field: keyof IReleaseForm; error: string };

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** An instant as a datetime-local value in the browser's time zone; '' for null. */
export function toLocalInput(iso: string | null): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A datetime-local value (browser's time zone) as an ISO instant; null if unreadable. */
export function fromLocalInput(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(
    value.trim()
  );
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map(part => Number(part ?? 0));
  const date = new Date(year, month - 1, day, hour, minute, second);
  // new Date rolls 31 Feb over into March: such a value is not a date.
  if (
    Number.isNaN(date.getTime()) ||
    date.getMonth() !== month - 1 ||
    date.getDate() !== day
  ) {
    return null;
  }
  return date.toISOString();
}

/** The title a first release proposes: the notebook's grader title, else its file name. */
export function titleOf(notebookMetadata: unknown, path: string): string {
  const atrium = isObject(notebookMetadata) ? notebookMetadata.atrium : null;
  const grader = isObject(atrium) ? atrium.grader : null;
  const title = isObject(grader) ? grader.title : null;
  if (typeof title === 'string' && title.trim()) {
    return title.trim().slice(0, MAX_TITLE);
  }
  const name = path.split('/').pop() ?? path;
  return name.replace(/\.ipynb$/i, '').slice(0, MAX_TITLE);
}

export function formDefaults(
  notebookMetadata: unknown,
  path: string,
  current: IAssignmentSummary | null
): IReleaseForm {
  if (current) {
    return {
      title: current.title,
      deadline: toLocalInput(current.deadline),
      late: current.lateUntil ? 'until' : 'none',
      lateUntil: toLocalInput(current.lateUntil),
      latePenalty: String(Math.round(current.latePenalty * 10000) / 100),
      reveal: REVEALS.includes(current.reveal)
        ? current.reveal
        : 'message-only',
      counted: current.counted === 'best' ? 'best' : 'latest'
    };
  }
  return {
    title: titleOf(notebookMetadata, path),
    deadline: '',
    late: 'none',
    lateUntil: '',
    latePenalty: '0',
    reveal: 'message-only',
    counted: 'latest'
  };
}

/** The request fields of a filled-in form, or the first field that is wrong and why. */
export function releasePolicy(
  form: IReleaseForm,
  trans: TranslationBundle
): FormResult {
  const title = form.title.trim();
  if (!title) {
    return { field: 'title', error: trans.__('Give the assignment a title.') };
  }
  if (title.length > MAX_TITLE) {
    return {
      field: 'title',
      error: trans.__('The title is longer than %1 characters.', MAX_TITLE)
    };
  }
  let deadline: string | null = null;
  if (form.deadline.trim()) {
    deadline = fromLocalInput(form.deadline);
    if (!deadline) {
      return {
        field: 'deadline',
        error: trans.__('The due date is not a date and time.')
      };
    }
  }
  let lateUntil: string | null = null;
  let latePenalty = 0;
  if (form.late === 'until') {
    if (!deadline) {
      return {
        field: 'late',
        error: trans.__('Late work needs a due date to be late for.')
      };
    }
    lateUntil = fromLocalInput(form.lateUntil);
    if (!lateUntil) {
      return {
        field: 'lateUntil',
        error: trans.__('Say until when late work is accepted.')
      };
    }
    if (Date.parse(lateUntil) < Date.parse(deadline)) {
      return {
        field: 'lateUntil',
        error: trans.__('Late work cannot end before the due date.')
      };
    }
    const percent = Number(form.latePenalty.trim() || '0');
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      return {
        field: 'latePenalty',
        error: trans.__('The late penalty is a percentage from 0 to 100.')
      };
    }
    latePenalty = percent / 100;
  }
  if (!REVEALS.includes(form.reveal)) {
    return {
      field: 'reveal',
      error: trans.__('Choose what results show students.')
    };
  }
  if (!COUNTED.includes(form.counted)) {
    return {
      field: 'counted',
      error: trans.__('Choose which submission counts.')
    };
  }
  return {
    policy: {
      title,
      deadline,
      lateUntil,
      latePenalty,
      reveal: form.reveal,
      counted: form.counted
    }
  };
}

/** "Cell 3, line 2: …" for each lint error the service refused the release for. */
export function findingLines(
  findings: readonly IFinding[],
  trans: TranslationBundle
): string[] {
  return findings
    .filter(finding => finding.severity === 'error')
    .map(finding => {
      if (finding.cell === null) {
        return trans.__('The notebook: %1', finding.message);
      }
      return finding.line === null
        ? trans.__('Cell %1: %2', finding.cell + 1, finding.message)
        : trans.__(
            'Cell %1, line %2: %3',
            finding.cell + 1,
            finding.line,
            finding.message
          );
    });
}
