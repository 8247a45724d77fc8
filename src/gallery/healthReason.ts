/*
 * A notebook's health verdict in the user's language. The service sends the verdict's
 * terms (`explanation`) beside its English `reason`; this words the terms through the
 * translator, and falls back to the service's sentence for a verdict stored before terms
 * were kept. The English wording matches the service's (`reason_text` in
 * jupyterlab_atrium/service/health/formula.py): both are tested against
 * tests/fixtures/health/reasons.json.
 */

import type { TranslationBundle } from '@jupyterlab/translation';

export interface ITooFewRuns {
  kind: 'too-few-runs';
  runs: number;
  minRuns: number;
  windowDays: number;
}

export interface IScored {
  kind: 'scored';
  passRate: number;
  runs: number;
  depth: number;
  sessions: number;
  users: number;
  failingCells: number;
  score: number;
  label: 'healthy' | 'unhealthy' | 'unknown';
  unhealthyAtMost: number;
  healthyFrom: number;
}

export type HealthExplanation = ITooFewRuns | IScored;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The explanation if it is one this version can word; anything else is not trusted. */
export function parseExplanation(raw: unknown): HealthExplanation | null {
  if (typeof raw !== 'object' || raw === null) {
    return null;
  }
  const e = raw as Record<string, unknown>;
  if (
    e.kind === 'too-few-runs' &&
    isCount(e.runs) &&
    isCount(e.minRuns) &&
    isCount(e.windowDays)
  ) {
    return e as unknown as ITooFewRuns;
  }
  if (
    e.kind === 'scored' &&
    [e.passRate, e.depth, e.score, e.unhealthyAtMost, e.healthyFrom].every(
      isNumber
    ) &&
    [e.runs, e.sessions, e.users, e.failingCells].every(isCount) &&
    (e.label === 'healthy' || e.label === 'unhealthy' || e.label === 'unknown')
  ) {
    return e as unknown as IScored;
  }
  return null;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function scored(e: IScored, trans: TranslationBundle): string {
  const parts = [
    trans.__(
      '%1 of %2 runs passed; sessions got through %3 of the notebook on average',
      percent(e.passRate),
      e.runs,
      percent(e.depth)
    ) +
      ` (${trans._n('%1 session', '%1 sessions', e.sessions)}, ${trans._n(
        '%1 user',
        '%1 users',
        e.users
      )})`
  ];
  if (e.failingCells > 0) {
    parts.push(
      trans._n('%1 cell often fails', '%1 cells often fail', e.failingCells)
    );
  }
  let text = parts.join('; ') + '.';
  if (e.label === 'unknown') {
    text +=
      ' ' +
      trans.__(
        'The score %1 lies between %2 and %3.',
        e.score.toFixed(2),
        String(e.unhealthyAtMost),
        String(e.healthyFrom)
      );
  }
  return text;
}

/** The verdict in words, in the user's language where the service sent its terms. */
export function healthReasonText(
  health: { reason: string; explanation?: unknown },
  trans: TranslationBundle
): string {
  const e = parseExplanation(health.explanation);
  if (e === null) {
    return health.reason;
  }
  if (e.kind === 'too-few-runs') {
    return trans.__(
      'Too few runs to judge: %1 in the last %2 days (at least %3 are needed).',
      e.runs,
      e.windowDays,
      e.minRuns
    );
  }
  return scored(e, trans);
}
