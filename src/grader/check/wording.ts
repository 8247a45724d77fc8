/**
 * What the cell's footer says after a check. Honest about its reach: it counts public
 * checks only and says that hidden ones run at submission.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { IOutputVerdict } from './output';
import type { CheckOutcome } from './run';

export type Tone = 'pass' | 'fail' | 'info';

export interface ICheckReport {
  readonly tone: Tone;
  readonly headline: string;
  /** one line per test, in order */
  readonly lines: { passed: boolean; text: string }[];
}

export function checkReport(
  outcome: CheckOutcome,
  trans: TranslationBundle,
  timeoutSeconds: number
): ICheckReport {
  const info = (headline: string): ICheckReport => ({
    tone: 'info',
    headline,
    lines: []
  });
  switch (outcome.kind) {
    case 'no-tests':
      return info(
        outcome.manual
          ? trans.__(
              'This exercise is graded by a person; there is nothing to check.'
            )
          : trans.__(
              'This exercise has no public checks · hidden checks run when you submit'
            )
      );
    case 'no-kernel':
      return info(
        trans.__('No kernel: start one, run your answer, then check.')
      );
    case 'dead':
      return info(
        trans.__(
          'The kernel is not running: restart it, run your answer, then check.'
        )
      );
    case 'starting':
      return info(trans.__('The kernel is starting: check again in a moment.'));
    case 'busy':
      return info(
        trans.__(
          'The kernel is busy: check again when your cells have finished.'
        )
      );
    case 'language':
      return info(
        trans.__(
          'The checks are Python tests; this notebook runs a %1 kernel.',
          outcome.language
        )
      );
    case 'ran': {
      const { results, timedOut, notRun } = outcome;
      const total = results.length + (timedOut ? 1 : 0) + notRun;
      const passed = results.filter(r => r.passed).length;
      const lines = results.map((r, i) => {
        const name = r.test.message ?? trans.__('Check %1', i + 1);
        return {
          passed: r.passed,
          text: r.passed ? name : trans.__('%1 — %2', name, r.error ?? '')
        };
      });
      if (timedOut) {
        const name =
          timedOut.message ?? trans.__('Check %1', results.length + 1);
        lines.push({
          passed: false,
          text: notRun
            ? trans._n(
                '%2 did not finish within %3 s (interrupt the kernel to stop it); the check after it did not run',
                '%2 did not finish within %3 s (interrupt the kernel to stop it); the %1 checks after it did not run',
                notRun,
                name,
                timeoutSeconds
              )
            : trans.__(
                '%1 did not finish within %2 s (interrupt the kernel to stop it)',
                name,
                timeoutSeconds
              )
        });
      }
      return {
        tone: passed === total ? 'pass' : 'fail',
        headline: trans._n(
          '%2 of %1 public check passed · hidden checks run when you submit',
          '%2 of %1 public checks passed · hidden checks run when you submit',
          total,
          passed
        ),
        lines
      };
    }
  }
}

/** What the footer says after the service compared an expected-output answer. */
export function outputReport(
  verdict: IOutputVerdict,
  trans: TranslationBundle
): ICheckReport {
  const left =
    verdict.checksLeft === undefined
      ? ''
      : ' · ' +
        trans._n(
          '%1 check left this minute',
          '%1 checks left this minute',
          verdict.checksLeft
        );
  return verdict.passed
    ? {
        tone: 'pass',
        headline: trans.__('Your output matches the expected output') + left,
        lines: []
      }
    : {
        tone: 'fail',
        headline:
          trans.__('Your output does not match the expected output yet') + left,
        lines: []
      };
}
