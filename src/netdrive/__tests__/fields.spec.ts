import { nullTranslator } from '@jupyterlab/translation';
import * as fs from 'fs';
import * as path from 'path';

import {
  AccountField,
  checkAccount,
  describeFieldProblem,
  fieldProblems,
  FieldProblemCode
} from '../fields';
import { connectRequest, IConnectFields, validateFields } from '../form';
import { samplePolicy } from './fake';

/** The fixture the server's tests also run (tests/test_netdrive_connect_fields.py). */
interface IFieldCase {
  fields: Partial<IConnectFields>;
  defaultDomain?: string;
  valid: boolean;
  domain?: string;
  username?: string;
  displayName?: string;
  field?: AccountField;
  error?: FieldProblemCode;
  detail?: string;
  note?: string;
}

const FIXTURE = path.resolve(
  __dirname,
  '../../../tests/fixtures/netdrive/connect-fields.json'
);
const fixture: { base: IConnectFields; cases: IFieldCase[] } = JSON.parse(
  fs.readFileSync(FIXTURE, 'utf-8')
);
const trans = nullTranslator.load('jupyterlab_atrium');

function requestOf(c: IFieldCase): IConnectFields {
  return { ...fixture.base, readOnly: false, ...c.fields };
}

function label(c: IFieldCase): string {
  return JSON.stringify([c.fields, c.defaultDomain ?? '']).slice(0, 70);
}

describe('the connect fields against the shared fixture', () => {
  it('has valid and invalid cases for every field', () => {
    for (const field of ['domain', 'username', 'displayName', 'password']) {
      expect(
        fixture.cases.some(c => c.valid && field in c.fields)
      ).toBeTruthy();
      expect(fixture.cases.some(c => c.field === field)).toBeTruthy();
    }
  });

  it.each(fixture.cases.filter(c => c.valid).map(c => [label(c), c]))(
    'accepts %s',
    (_label, c) => {
      const request = requestOf(c);
      expect(fieldProblems(request, c.defaultDomain)).toEqual({});
      expect(
        checkAccount(request.domain, request.username, c.defaultDomain)
      ).toEqual({ ok: true, domain: c.domain, username: c.username });
      // What the dialog sends for it: the display name it would propose when empty.
      expect(connectRequest(request).displayName).toBe(c.displayName);
    }
  );

  it.each(fixture.cases.filter(c => !c.valid).map(c => [label(c), c]))(
    'refuses %s',
    (_label, c) => {
      const problems = fieldProblems(requestOf(c), c.defaultDomain);
      expect(Object.keys(problems)).toEqual([c.field]);
      const problem = problems[c.field!]!;
      expect({ code: problem.code, detail: problem.detail }).toEqual({
        code: c.error,
        detail: c.detail
      });
      expect(
        describeFieldProblem(c.field!, problem, trans).length
      ).toBeGreaterThan(10);
    }
  );

  it('is what the dialog checks, for every case it would send unchanged', () => {
    const policyFor = (c: IFieldCase) => ({
      ...samplePolicy,
      defaultDomain: c.defaultDomain ?? ''
    });
    let checked = 0;
    for (const c of fixture.cases) {
      const fields = requestOf(c);
      const sent = connectRequest(fields);
      if (
        sent.domain !== fields.domain ||
        sent.username !== fields.username ||
        (fields.displayName && sent.displayName !== fields.displayName)
      ) {
        continue; // the dialog trims names: it sends another value than the case's
      }
      checked++;
      const errors = validateFields(fields, policyFor(c), trans, 'all');
      expect([label(c), Object.keys(errors)]).toEqual([
        label(c),
        c.valid ? [] : [c.field]
      ]);
    }
    expect(checked).toBeGreaterThan(fixture.cases.length * 0.9);
  });
});

describe('describeFieldProblem', () => {
  it('says what is wrong in a sentence', () => {
    const say = (field: AccountField, value: Partial<IConnectFields>) => {
      const problems = fieldProblems({ ...fixture.base, ...value });
      return describeFieldProblem(field, problems[field]!, trans);
    };
    expect(say('username', { username: 'bob,uid=0' })).toBe(
      'The character "," is not allowed here.'
    );
    expect(say('username', { username: 'U NI\\alice' })).toBe(
      'The domain before "\\" is not valid. Only letters, digits, ".", "_" and "-", starting with a letter or digit (e.g. UNI or uni.example).'
    );
    expect(say('username', { username: 'x'.repeat(129) })).toBe(
      'At most 128 characters.'
    );
    expect(say('displayName', { displayName: 'x'.repeat(81) })).toBe(
      'At most 80 characters.'
    );
    expect(say('password', { password: '' })).toBe('Enter your password.');
  });
});
