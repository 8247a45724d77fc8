/**
 * Runs one side of a self-test (plan.ts) in a kernel: each step in order, each with a
 * deadline, stoppable from outside. The kernel is the caller's: kernel.ts starts a fresh one
 * and always shuts it down.
 */
import { errorText, ICheckKernel, within } from '../check/run';
import type { IStep } from './plan';

/** The part of a kernel connection a self-test uses: what a practice check uses to run. */
export type ISelfTestKernel = Pick<ICheckKernel, 'requestExecute'>;

export interface IStepResult {
  readonly step: IStep;
  readonly passed: boolean;
  /** "AssertionError: …", trimmed; null when the cell ran without an error */
  readonly error: string | null;
}

export interface IRunResult {
  readonly results: IStepResult[];
  /** the step that did not finish within the deadline; the rest did not run */
  readonly timedOut: IStep | null;
  /** cancelled before every step ran */
  readonly cancelled: boolean;
}

export interface IRunOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** called before each step runs */
  readonly onStep?: (index: number, step: IStep) => void;
}

/** Resolves when `signal` aborts (never, without one). */
export function aborted(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve('aborted');
    } else {
      signal?.addEventListener('abort', () => resolve('aborted'), {
        once: true
      });
    }
  });
}

type Reply = Awaited<ReturnType<ISelfTestKernel['requestExecute']>['done']>;

/** Execute `code`; a kernel that dies or refuses gives an error reply, not a rejection. */
async function execute(kernel: ISelfTestKernel, code: string): Promise<Reply> {
  try {
    return await kernel.requestExecute({
      code,
      silent: false,
      store_history: false,
      allow_stdin: false,
      stop_on_error: false
    }).done;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      content: { status: 'error', ename: 'KernelError', evalue: reason }
    };
  }
}

export async function runSteps(
  kernel: ISelfTestKernel,
  steps: readonly IStep[],
  options: IRunOptions
): Promise<IRunResult> {
  const results: IStepResult[] = [];
  const stop = aborted(options.signal);
  for (const [index, step] of steps.entries()) {
    if (options.signal?.aborted) {
      return { results, timedOut: null, cancelled: true };
    }
    options.onStep?.(index, step);
    const reply = await Promise.race([
      within(execute(kernel, step.source), options.timeoutMs),
      stop
    ]);
    if (reply === 'aborted') {
      return { results, timedOut: null, cancelled: true };
    }
    if ('timedOut' in reply) {
      return { results, timedOut: step, cancelled: false };
    }
    const { status, ename, evalue } = reply.value.content;
    const passed = status === 'ok';
    results.push({
      step,
      passed,
      error: passed ? null : errorText(ename, evalue)
    });
  }
  return { results, timedOut: null, cancelled: false };
}
