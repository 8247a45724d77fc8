/**
 * Window events between the grader's parts: start.ts sends a Check's result, the
 * Exercises panel shows it. Kept tiny: start.ts imports it.
 */

/** Sent on window after each Check with its result. */
export const CHECKED_EVENT = 'atrium-grader:checked';

export interface ICheckedDetail {
  /** the notebook's path */
  path: string;
  exercise: string;
  tone: 'pass' | 'fail' | 'info';
  headline: string;
}

/** Sent on window after a submission and when its grade arrives (detail: the submission):
 * the Assignments section and the Exercises panel read again. */
export const SUBMITTED_EVENT = 'atrium-grader:submitted';
