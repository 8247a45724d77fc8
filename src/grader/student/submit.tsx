/**
 * Submit: the student's copy is saved and sent for official grading; a dialog shows the
 * progress, then the official result as the reveal policy allows and a receipt to keep.
 * Loaded on the first Submit.
 */
import { Clipboard, Dialog, showDialog } from '@jupyterlab/apputils';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import '../../../style/grader-student.css';
import {
  getAssignment,
  getSubmission,
  IAssignment,
  ISubmission,
  submit
} from './api';
import { failureText, refusalText } from './errors';
import { SUBMITTED_EVENT } from './events';
import { PollAborted, pollSubmission, PollTimeout } from './poll';
import { receiptText, resultView, stateText } from './result';

type Phase =
  | { kind: 'sending' }
  | { kind: 'waiting'; submission: ISubmission }
  | { kind: 'done'; submission: ISubmission }
  | { kind: 'slow'; submission: ISubmission }
  | { kind: 'error'; message: string; submission: ISubmission | null };

function Receipt(props: {
  submission: ISubmission;
  title: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { submission, title, trans } = props;
  const text = receiptText(submission, title, trans);
  const [copied, setCopied] = React.useState(false);
  return (
    <section
      className="jp-Atrium-Grader-receipt"
      aria-label={trans.__('Receipt')}
    >
      <div className="jp-Atrium-Grader-receipt-header">
        <h3>{trans.__('Receipt')}</h3>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject"
          onClick={() => {
            Clipboard.copyToSystem(text);
            setCopied(true);
          }}
        >
          {copied ? trans.__('Copied') : trans.__('Copy receipt')}
        </button>
      </div>
      <pre>{text}</pre>
    </section>
  );
}

function Result(props: {
  submission: ISubmission;
  assignment: IAssignment;
  trans: TranslationBundle;
}): JSX.Element {
  const { submission, assignment, trans } = props;
  const view = resultView(
    submission,
    assignment.exercises,
    assignment.reveal,
    trans
  );
  return (
    <section className="jp-Atrium-Grader-result">
      <p className="jp-Atrium-Grader-result-headline">{view.headline}</p>
      <p className="jp-Atrium-Grader-result-policy">{view.policy}</p>
      <ul className="jp-Atrium-Grader-result-exercises">
        {view.exercises.map(exercise => (
          <li
            key={exercise.id}
            data-exercise={exercise.id}
            data-full={exercise.full}
          >
            <span className="jp-Atrium-Grader-result-title">
              {exercise.title}
            </span>{' '}
            <span className="jp-Atrium-Grader-result-score">
              {exercise.score}
            </span>
            {exercise.lines.length > 0 && (
              <ul>
                {exercise.lines.map((line, index) => (
                  <li key={index} data-passed={line.passed}>
                    {`${line.passed ? '✓' : '✗'} ${line.text}`}
                  </li>
                ))}
              </ul>
            )}
            {exercise.comment && (
              <p className="jp-Atrium-Grader-result-comment">
                {trans.__('Instructor: %1', exercise.comment)}
              </p>
            )}
          </li>
        ))}
      </ul>
      {view.notes.length > 0 && (
        <ul className="jp-Atrium-Grader-result-notes">
          {view.notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The dialog's body: one submission from sending to its result. */
class SubmissionBody extends ReactWidget {
  constructor(
    readonly assignment: IAssignment,
    readonly trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-Atrium-Grader-submission');
  }

  phase: Phase = { kind: 'sending' };

  set(phase: Phase): void {
    this.phase = phase;
    this.update();
  }

  protected render(): JSX.Element {
    const { phase, trans, assignment } = this;
    const submission = phase.kind === 'sending' ? null : phase.submission;
    const state =
      phase.kind === 'sending' ? 'sending' : (submission?.state ?? 'queued');
    return (
      <div>
        <div className="jp-Atrium-Grader-submission-top">
          <ol
            className="jp-Atrium-Grader-progress"
            aria-label={trans.__('Progress')}
          >
            <li data-done={phase.kind !== 'sending' && submission !== null}>
              {trans.__('Sent')}
            </li>
            <li data-done={state === 'graded' || state === 'failed'}>
              {trans.__('Graded')}
            </li>
          </ol>
          <p
            className={
              // Graded: the result's headline says it on screen; screen readers still
              // hear the state change.
              state === 'graded'
                ? 'jp-Atrium-Grader-submission-state jp-mod-graded'
                : 'jp-Atrium-Grader-submission-state'
            }
            role="status"
            aria-live="polite"
          >
            {phase.kind === 'error'
              ? phase.message
              : phase.kind === 'slow'
                ? trans.__(
                    'Grading is taking longer than usual. Your submission is kept and will be graded; its result will show in the Assignments section of the gallery.'
                  )
                : stateText(state, trans)}
          </p>
        </div>
        {submission?.state === 'graded' && (
          <Result
            submission={submission}
            assignment={assignment}
            trans={trans}
          />
        )}
        {submission && (
          <Receipt
            submission={submission}
            title={assignment.title}
            trans={trans}
          />
        )}
      </div>
    );
  }
}

export interface ISubmitOptions {
  contents: Contents.IManager;
  /** the student's copy */
  path: string;
  /** saves the open document, if it is open: what is sent is what the student sees */
  save?: () => Promise<void>;
  assignmentId: string;
  /** the assignment as listed, if the caller has it */
  assignment?: IAssignment | null;
  trans: TranslationBundle;
  /** polling deadline, seconds */
  deadlineSeconds?: number;
}

async function savedNotebook(options: ISubmitOptions): Promise<unknown> {
  await options.save?.();
  const model = await options.contents.get(options.path, {
    type: 'notebook',
    content: true
  });
  return model.content as unknown;
}

/** Ask, save, send, and show the progress and result; resolves when the dialog closes. */
export async function submitAssignment(options: ISubmitOptions): Promise<void> {
  const { path, assignmentId, trans } = options;
  let assignment = options.assignment ?? null;
  try {
    assignment = assignment ?? (await getAssignment(assignmentId));
  } catch (error) {
    await showDialog({
      title: trans.__('Cannot submit'),
      body: failureText(error, trans),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return;
  }
  const confirmed = await showDialog({
    title: trans.__('Submit “%1”?', assignment.title),
    body:
      assignment.counted === 'best'
        ? trans.__(
            '%1 is saved and sent for official grading. Earlier submissions are kept; your best graded submission is the one that counts.',
            path
          )
        : trans.__(
            '%1 is saved and sent for official grading. Earlier submissions are kept; your latest graded submission is the one that counts.',
            path
          ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Submit') })
    ]
  });
  if (!confirmed.button.accept) {
    return;
  }
  const body = new SubmissionBody(assignment, trans);
  const dialog = openDialog(body, assignment, trans);
  const send = async (): Promise<ISubmission | null> => {
    try {
      const reply = await submit(assignmentId, await savedNotebook(options));
      if ('refused' in reply) {
        body.set({
          kind: 'error',
          message: refusalText(reply.refused, trans),
          submission: null
        });
        return null;
      }
      window.dispatchEvent(
        new CustomEvent(SUBMITTED_EVENT, { detail: reply.receipt })
      );
      return reply.receipt;
    } catch (error) {
      body.set({
        kind: 'error',
        message: failureText(error, trans),
        submission: null
      });
      return null;
    }
  };
  const run = async () => {
    const receipt = await send();
    if (receipt) {
      await follow(body, receipt, dialog.signal, options.deadlineSeconds);
    }
  };
  await Promise.all([run(), dialog.closed]);
}

function openDialog(
  body: SubmissionBody,
  assignment: IAssignment,
  trans: TranslationBundle
): { closed: Promise<unknown>; signal: { aborted: boolean } } {
  const signal = { aborted: false };
  const closed = showDialog({
    title: trans.__('Submission of “%1”', assignment.title),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  }).finally(() => (signal.aborted = true));
  return { closed, signal };
}

/** Show `submission` and, while it is queued, read it again until it is graded. */
async function follow(
  body: SubmissionBody,
  submission: ISubmission,
  signal: { aborted: boolean },
  deadlineSeconds = 300
): Promise<void> {
  body.set({ kind: 'waiting', submission });
  try {
    const final = await pollSubmission(
      () => getSubmission(submission.id),
      submission,
      {
        deadlineMs: deadlineSeconds * 1000,
        signal,
        onUpdate: next => body.set({ kind: 'waiting', submission: next })
      }
    );
    body.set({ kind: 'done', submission: final });
    if (final.state !== submission.state) {
      window.dispatchEvent(new CustomEvent(SUBMITTED_EVENT, { detail: final }));
    }
  } catch (error) {
    if (error instanceof PollTimeout) {
      body.set({ kind: 'slow', submission: error.last });
    } else if (!(error instanceof PollAborted)) {
      body.set({
        kind: 'error',
        message: failureText(error, body.trans),
        submission
      });
    }
  }
}

/** A submission's result and receipt (waiting for its grade if it is queued). */
export async function showSubmission(
  assignment: IAssignment,
  submission: ISubmission,
  trans: TranslationBundle
): Promise<void> {
  const body = new SubmissionBody(assignment, trans);
  const dialog = openDialog(body, assignment, trans);
  await Promise.all([follow(body, submission, dialog.signal), dialog.closed]);
}
