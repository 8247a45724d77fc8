/**
 * Waiting for an official grade: the submission is read again with a growing interval
 * until it is graded or failed, or the deadline passes (the submission stays queued on
 * the service; the student can look again later).
 */
import { AtriumRequestError } from '../../common/request';
import type { ISubmission } from './api';

export interface IPollOptions {
  /** first wait, ms */
  initialMs?: number;
  /** longest wait, ms */
  maxMs?: number;
  factor?: number;
  /** give up after this long, ms */
  deadlineMs?: number;
  /** each reading of the submission, finished or not */
  onUpdate?: (submission: ISubmission) => void;
  /** injected for tests */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** stops polling (the dialog was closed) */
  signal?: { aborted: boolean };
}

export class PollTimeout extends Error {
  constructor(readonly last: ISubmission) {
    super('The grade did not arrive before the deadline.');
    this.name = 'PollTimeout';
  }
}

export class PollAborted extends Error {
  constructor() {
    super('Stopped waiting for the grade.');
    this.name = 'PollAborted';
  }
}

const wait = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * The waits between readings: `initialMs`, times `factor` each time, at most `maxMs`,
 * never past the deadline.
 */
export function delays(
  initialMs: number,
  maxMs: number,
  factor: number
): () => number {
  let next = initialMs;
  return () => {
    const current = next;
    next = Math.min(maxMs, Math.round(next * factor));
    return current;
  };
}

/** `read` until the submission is no longer queued. A reading that failed for want of
 * an answer (the service briefly away, a 5xx) is retried like a queued one, within the
 * deadline; a refusal (4xx) is not. */
export async function pollSubmission(
  read: () => Promise<ISubmission>,
  first: ISubmission,
  options: IPollOptions = {}
): Promise<ISubmission> {
  // Official grades take about a second: read often at first (a grade ready at 1.04 s
  // was shown at 2.06 s with 400 ms × 1.6), then back off gently to 5 s.
  const {
    initialMs = 250,
    maxMs = 5000,
    factor = 1.25,
    deadlineMs = 300_000,
    onUpdate,
    sleep = wait,
    now = Date.now,
    signal
  } = options;
  const end = now() + deadlineMs;
  const next = delays(initialMs, maxMs, factor);
  let last = first;
  while (last.state === 'queued') {
    const left = end - now();
    if (left <= 0) {
      throw new PollTimeout(last);
    }
    await sleep(Math.min(next(), left));
    if (signal?.aborted) {
      throw new PollAborted();
    }
    try {
      last = await read();
    } catch (error) {
      const refused =
        error instanceof AtriumRequestError &&
        error.status >= 400 &&
        error.status < 500;
      if (refused || end - now() <= 0) {
        throw error;
      }
      continue;
    }
    onUpdate?.(last);
  }
  return last;
}
