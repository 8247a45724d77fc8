import { nullTranslator } from '@jupyterlab/translation';
import * as fs from 'fs';
import * as path from 'path';

import { healthReasonText, parseExplanation } from '../healthReason';

const FIXTURE = path.resolve(
  __dirname,
  '../../../tests/fixtures/health/reasons.json'
);
const cases: { explanation: unknown; english: string }[] = JSON.parse(
  fs.readFileSync(FIXTURE, 'utf8')
).cases;
const trans = nullTranslator.load('jupyterlab');

describe('healthReasonText', () => {
  it.each(cases.map(c => [c.english, c]))(
    'words the service’s terms as the service does: %s',
    (_english, c) => {
      expect(
        healthReasonText({ reason: 'stale', explanation: c.explanation }, trans)
      ).toBe(c.english);
    }
  );

  it('goes through the translator', () => {
    const seen: string[] = [];
    const recording = {
      ...trans,
      __: (msgid: string, ...args: unknown[]) => {
        seen.push(msgid);
        return trans.__(msgid, ...(args as string[]));
      },
      _n: (one: string, many: string, n: number, ...args: unknown[]) => {
        seen.push(one);
        return trans._n(one, many, n, ...(args as string[]));
      }
    } as typeof trans;
    healthReasonText(
      { reason: '', explanation: cases[3].explanation },
      recording
    );
    expect(seen).toContain('%1 cell often fails');
    expect(seen).toContain('%1 session');
  });

  it('shows the service’s sentence for a verdict without terms, or with terms it cannot trust', () => {
    expect(healthReasonText({ reason: 'As stored.' }, trans)).toBe(
      'As stored.'
    );
    for (const bad of [
      null,
      'scored',
      { kind: 'scored' },
      { kind: 'too-few-runs', runs: -1, minRuns: 5, windowDays: 30 },
      { kind: 'too-few-runs', runs: '<img src=x>', minRuns: 5, windowDays: 30 },
      { kind: 'future-kind', runs: 1 }
    ]) {
      expect(parseExplanation(bad)).toBeNull();
      expect(
        healthReasonText({ reason: 'As stored.', explanation: bad }, trans)
      ).toBe('As stored.');
    }
  });
});
