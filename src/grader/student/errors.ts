/**
 * Why a submission did not go through, in words a student can act on.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { AtriumRequestError, describeError } from '../../common/request';
import type { ISubmitRefusal } from './api';

export function refusalText(
  refusal: ISubmitRefusal,
  trans: TranslationBundle
): string {
  if (refusal.reason === 'assignment-closed') {
    return trans.__(
      'The deadline has passed (and any late period): this assignment no longer takes submissions. Your earlier submissions are kept.'
    );
  }
  if (refusal.status === 429 && refusal.retryAfter !== null) {
    return trans._n(
      'You have submitted often in the last hour; you can submit again in %1 second.',
      'You have submitted often in the last hour; you can submit again in %1 seconds.',
      refusal.retryAfter
    );
  }
  if (refusal.status === 429) {
    return trans.__(
      'You have used every submission this assignment allows; the ones you made are kept and graded. Ask your instructor if you need another.'
    );
  }
  return (
    refusal.message ||
    trans.__(
      'The grading service refused the submission (HTTP %1).',
      refusal.status
    )
  );
}

/** Any other failure of submitting or of reading the result. */
export function failureText(error: unknown, trans: TranslationBundle): string {
  if (error instanceof AtriumRequestError) {
    if (
      error.reason === 'service-unavailable' ||
      error.status === 502 ||
      error.status === 503 ||
      error.status === 504
    ) {
      return trans.__(
        'The grading service is not reachable right now. Nothing was lost: try again in a few minutes.'
      );
    }
    if (error.status === 413) {
      return trans.__(
        'The notebook is too large to submit. Clear large outputs and try again.'
      );
    }
  }
  return describeError(error, trans);
}
