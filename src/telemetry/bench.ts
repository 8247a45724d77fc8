/*
 * A switch for bench/telemetry_page.js, and for nothing else. The overhead target
 * ("1,000 trivial cells with telemetry on vs off, ratio <= 1.02") is smaller than what
 * identical runs vary by on a small machine, so the bench alternates arms in many short
 * blocks inside one page, and needs two things a page does not offer: an arm where the
 * hook stays connected and its work is skipped (the page's own variance, apart from the
 * hook's), and sending what is pending before the user's choice switches to "no" (which
 * withdraws unsent records).
 *
 * It exists only when the server's page config says `atriumTelemetryBench: true`, which
 * only whoever writes the server's Jupyter config can set (the bench writes it into its
 * own temporary `labconfig/page_config.json`); no URL or setting turns it on. Its only
 * powers are to report less (skip) and to send sooner (flush), both of which a user who
 * may choose already has.
 */

import { PageConfig } from '@jupyterlab/coreutils';

export const BENCH_OPTION = 'atriumTelemetryBench';
export const BENCH_GLOBAL = 'atriumTelemetryBench';

export interface IBenchSwitch {
  /** While true, the hook returns at its first check, as for a user who said no. */
  skip: boolean;
  /** Send everything pending now. */
  flush(): Promise<void>;
  /** How many records wait to be sent. */
  pending(): number;
}

export function benchSwitch(outbox: {
  flush(): Promise<void>;
  readonly pending: readonly unknown[];
}): IBenchSwitch | null {
  if (PageConfig.getOption(BENCH_OPTION) !== 'true') {
    return null;
  }
  const bench: IBenchSwitch = {
    skip: false,
    flush: () => outbox.flush(),
    pending: () => outbox.pending.length
  };
  (window as unknown as Record<string, unknown>)[BENCH_GLOBAL] = bench;
  return bench;
}
