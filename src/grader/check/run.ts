/**
 * Runs a check plan in the notebook's live kernel, one test at a time, silently: no output
 * in any cell, no execution count, nothing in the history. A test passes when its code
 * raised nothing. This is practice: the student's kernel can be made to say anything, so
 * nothing here counts towards a grade (the official grade runs sandboxed on the service).
 */
import { checkCode } from './code';
import type { ICheckPlan, IPublicTest } from './plan';

/** The part of a kernel connection (`Kernel.IKernelConnection`) a check uses. */
export interface ICheckKernel {
  readonly status: string;
  readonly info: Promise<{ language_info: { name: string } }>;
  requestExecute(content: {
    code: string;
    silent: boolean;
    store_history: boolean;
    allow_stdin: boolean;
    stop_on_error: boolean;
  }): {
    readonly done: Promise<{
      content: { status: string; ename?: string; evalue?: string };
    }>;
  };
}

export interface ITestResult {
  readonly test: IPublicTest;
  readonly passed: boolean;
  /** "NameError: name 'f' is not defined", trimmed; null when it passed */
  readonly error: string | null;
}

export type CheckOutcome =
  | {
      kind: 'ran';
      results: ITestResult[];
      timedOut: IPublicTest | null;
      notRun: number;
    }
  | { kind: 'no-kernel' }
  | { kind: 'dead' }
  | { kind: 'starting' }
  | { kind: 'busy' }
  | { kind: 'language'; language: string }
  | { kind: 'no-tests'; manual: boolean };

export const ERROR_CHARS = 300;

const DEAD = new Set(['dead', 'terminating', 'unknown']);
const STARTING = new Set(['starting', 'restarting', 'autorestarting']);

/** "NameError: …" from an error reply, trimmed to ERROR_CHARS (self-test says it too). */
export function errorText(
  ename: string | undefined,
  evalue: string | undefined
): string {
  const text =
    [ename, evalue].filter(Boolean).join(': ') || 'the test raised an error';
  return text.length > ERROR_CHARS
    ? `${text.slice(0, ERROR_CHARS - 1)}…`
    : text;
}

export type Timed<T> = { value: T } | { timedOut: true };

/** `work`, or `{timedOut}` after `ms` (self-test uses it too). */
export function within<T>(work: Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Timed<T>>(resolve => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  return Promise.race([work.then(value => ({ value })), deadline]).finally(() =>
    clearTimeout(timer)
  );
}

export async function runChecks(
  kernel: ICheckKernel | null,
  plan: ICheckPlan,
  options: { timeoutMs: number }
): Promise<CheckOutcome> {
  if (!plan.tests.length) {
    return { kind: 'no-tests', manual: plan.manual };
  }
  if (!kernel) {
    return { kind: 'no-kernel' };
  }
  if (DEAD.has(kernel.status)) {
    return { kind: 'dead' };
  }
  if (STARTING.has(kernel.status)) {
    return { kind: 'starting' };
  }
  if (kernel.status === 'busy') {
    // Queued behind the student's own run, the check would wait for it and then test
    // state the student has not seen yet.
    return { kind: 'busy' };
  }
  const info = await within(kernel.info, options.timeoutMs);
  if ('timedOut' in info) {
    return { kind: 'busy' };
  }
  const language = info.value.language_info.name;
  if (language.toLowerCase() !== 'python') {
    return { kind: 'language', language };
  }
  const results: ITestResult[] = [];
  for (const [index, test] of plan.tests.entries()) {
    const future = kernel.requestExecute({
      code: checkCode(test.source),
      silent: true,
      store_history: false,
      allow_stdin: false,
      stop_on_error: false
    });
    const reply = await within(future.done, options.timeoutMs);
    if ('timedOut' in reply) {
      return {
        kind: 'ran',
        results,
        timedOut: test,
        notRun: plan.tests.length - index - 1
      };
    }
    const { status, ename, evalue } = reply.value.content;
    const passed = status === 'ok';
    results.push({
      test,
      passed,
      error: passed ? null : errorText(ename, evalue)
    });
  }
  return { kind: 'ran', results, timedOut: null, notRun: 0 };
}
