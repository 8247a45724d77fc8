/*
 * The telemetry policy as the page sees it, and what it lets this user do. Kept apart from
 * the request code: the watcher that runs on every page load needs only this.
 */
import { TranslationBundle } from '@jupyterlab/translation';

/**
 * The policy in force on this server (`c.AtriumTelemetry.policy`), as
 * `GET /atrium/api/telemetry` and the page's `atrium.telemetry` publish it.
 */
export interface ITelemetryState {
  policy: 'off' | 'opt_in' | 'opt_out' | 'on';
  /** Whether the server accepts records at all. */
  enabled: boolean;
  /** Whether each user decides (opt_in, opt_out). */
  userChoice: boolean;
  /** Whether a user who said nothing reports (opt_out, on). */
  defaultOn: boolean;
}

const POLICIES = ['off', 'opt_in', 'opt_out', 'on'];

/** The telemetry section of the page's policy, or null when absent or malformed. */
export function parseTelemetryState(raw: unknown): ITelemetryState | null {
  if (typeof raw !== 'object' || raw === null) {
    return null;
  }
  const r = raw as Record<string, unknown>;
  if (
    typeof r.policy !== 'string' ||
    !POLICIES.includes(r.policy) ||
    typeof r.enabled !== 'boolean' ||
    typeof r.userChoice !== 'boolean' ||
    typeof r.defaultOn !== 'boolean'
  ) {
    return null;
  }
  return r as unknown as ITelemetryState;
}

/** The user's setting: follow the policy's default, or say yes / no where allowed. */
export type Choice = 'default' | 'yes' | 'no';

/**
 * Whether this page reports. The server decides what users may choose: `on` ignores a
 * "no", `off` ignores a "yes" (and refuses records anyway).
 */
export function isReporting(
  state: ITelemetryState | null,
  choice: Choice
): boolean {
  if (!state || !state.enabled) {
    return false;
  }
  if (!state.userChoice) {
    return state.defaultOn;
  }
  return choice === 'default' ? state.defaultOn : choice === 'yes';
}

/** The policy in force, in words (the help page and About Atrium). */
export function policySentence(
  state: ITelemetryState,
  trans: TranslationBundle
): string {
  switch (state.policy) {
    case 'on':
      return trans.__(
        'Policy of this server: on. Every user of it reports; the setting cannot turn it off.'
      );
    case 'opt_out':
      return trans.__(
        'Policy of this server: opt-out. Users report unless they turn it off.'
      );
    case 'opt_in':
      return trans.__(
        'Policy of this server: opt-in. Users report only once they turn it on.'
      );
    default:
      return trans.__('Policy of this server: off. Nothing is reported.');
  }
}
