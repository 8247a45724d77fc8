import { requestAPI } from '../common/request';
import { ITelemetryRecord } from './record';

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

export async function sendRecords(
  records: ITelemetryRecord[],
  keepalive: boolean
): Promise<void> {
  await requestAPI<unknown>('telemetry', {
    method: 'POST',
    body: JSON.stringify({ records }),
    keepalive
  });
}
