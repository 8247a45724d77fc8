import { TranslationBundle } from '@jupyterlab/translation';

import { charCount, CONTROL } from './share';

/**
 * The connect form's account fields: domain, user name, display name and password.
 *
 * The same rule as the server's (`jupyterlab_atrium/netdrive/fields.py`); both run
 * `tests/fixtures/netdrive/connect-fields.json`, so the dialog accepts exactly what the server
 * does and refuses for the same reason (the code).
 *
 * - A name (domain, user name, display name) has no control or format characters, none of
 *   `, = % / \ : ; " * ? < > |`, no `..`, does not start with `-` and does not start or end
 *   with a space. Lengths count characters (code points), not UTF-16 units.
 * - Domain: at most 255 characters: letters, digits, `.`, `_`, `-`, starting with a letter or
 *   digit (`UNI`, `uni.example`).
 * - User name: required, at most 128 characters. `UNI\alice` names its domain (checked as a
 *   domain); `alice@uni.example` is a user principal name, sent as it is. A user name that
 *   names its domain is used with that domain, whatever the Domain field says; otherwise the
 *   Domain field, or the admin's default domain when it is empty.
 * - Display name: optional, at most 80 characters. Left empty, the drive is named after its
 *   folder's last name, else its share, else its server: the first that is a valid display name.
 * - Password: required, at most 1024 characters, no NUL; anything else is allowed.
 */

export const MAX_DOMAIN = 255;
export const MAX_USERNAME = 128;
export const MAX_DISPLAY_NAME = 80;
export const MAX_PASSWORD = 1024;

/** Why a field was refused; the codes are shared with the server. */
export type FieldProblemCode =
  | 'required'
  | 'too-long'
  | 'control-char'
  | 'forbidden-char'
  | 'dot-dot'
  | 'leading-dash'
  | 'spaces'
  | 'domain-chars'
  | 'realm'
  | 'two-domains'
  | 'user-domain';

export interface IFieldProblem {
  code: FieldProblemCode;
  /** The character for `forbidden-char`; the domain's own code for `user-domain`. */
  detail?: string;
  /** For `user-domain`: what is wrong with the domain before the backslash. */
  inner?: IFieldProblem;
}

/** The fields of the form that hold an account or a name. */
export type AccountField = 'domain' | 'username' | 'displayName' | 'password';

export type AccountCheck =
  | { ok: true; domain: string; username: string }
  | { ok: false; field: 'domain' | 'username'; problem: IFieldProblem };

const LINE_BREAK = /[\n\r]/;
const LONE_SURROGATE = /\p{Cs}/u;
const FORBIDDEN = /[,=%/\\:;"*?<>|]/;
/** Only spaces (Zs) are left to find at the ends once control characters are refused. */
const EDGE_SPACE = /^\p{Zs}|\p{Zs}$/u;
const DOMAIN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The first thing wrong with a name, in the order both implementations check. */
export function nameProblem(value: string, max: number): IFieldProblem | null {
  if (charCount(value) > max) {
    return { code: 'too-long' };
  }
  if (value.includes('\0') || LINE_BREAK.test(value) || CONTROL.test(value)) {
    return { code: 'control-char' };
  }
  const bad = FORBIDDEN.exec(value);
  if (bad) {
    return { code: 'forbidden-char', detail: bad[0] };
  }
  if (value.includes('..')) {
    return { code: 'dot-dot' };
  }
  if (value.startsWith('-')) {
    return { code: 'leading-dash' };
  }
  if (EDGE_SPACE.test(value)) {
    return { code: 'spaces' };
  }
  return null;
}

export function domainProblem(value: string): IFieldProblem | null {
  const problem = nameProblem(value, MAX_DOMAIN);
  if (!problem && value && !DOMAIN.test(value)) {
    return { code: 'domain-chars' };
  }
  return problem;
}

/** A user name without a `DOMAIN\` prefix; `user@realm` is checked whole. */
export function userProblem(value: string): IFieldProblem | null {
  if (!value) {
    return { code: 'required' };
  }
  const problem = nameProblem(value, MAX_USERNAME);
  if (!problem && value.includes('@')) {
    const at = value.indexOf('@');
    const local = value.slice(0, at);
    const realm = value.slice(at + 1);
    if (!local || !realm || domainProblem(realm)) {
      return { code: 'realm' };
    }
  }
  return problem;
}

export function displayNameProblem(value: string): IFieldProblem | null {
  return nameProblem(value, MAX_DISPLAY_NAME);
}

/** The display name of a drive the user did not name ('' when no candidate is valid). */
export function defaultDisplayName(address: {
  server: string;
  share: string;
  folder: string;
}): string {
  const candidates = [
    address.folder.split('/').pop() ?? '',
    address.share,
    address.server
  ];
  return candidates.find(name => name && !displayNameProblem(name)) ?? '';
}

export function passwordProblem(value: string): IFieldProblem | null {
  if (!value) {
    return { code: 'required' };
  }
  if (charCount(value) > MAX_PASSWORD) {
    return { code: 'too-long' };
  }
  // Any other character may be in a password; NUL and lone surrogates cannot be sent.
  if (value.includes('\0') || LONE_SURROGATE.test(value)) {
    return { code: 'control-char' };
  }
  return null;
}

/** The domain and user name to sign in with, from the Domain and User name fields. */
export function checkAccount(
  domain: string,
  username: string,
  defaultDomain = ''
): AccountCheck {
  const domainIssue = domainProblem(domain);
  if (domainIssue) {
    return { ok: false, field: 'domain', problem: domainIssue };
  }
  const backslash = username.indexOf('\\');
  if (backslash >= 0) {
    const head = username.slice(0, backslash);
    const tail = username.slice(backslash + 1);
    const inner: IFieldProblem | null = head
      ? domainProblem(head)
      : { code: 'required' };
    if (inner) {
      return {
        ok: false,
        field: 'username',
        problem: { code: 'user-domain', detail: inner.code, inner }
      };
    }
    if (tail.includes('@')) {
      return { ok: false, field: 'username', problem: { code: 'two-domains' } };
    }
    const problem = userProblem(tail);
    return problem
      ? { ok: false, field: 'username', problem }
      : { ok: true, domain: head, username: tail };
  }
  const problem = userProblem(username);
  if (problem) {
    return { ok: false, field: 'username', problem };
  }
  if (username.includes('@')) {
    return { ok: true, domain: '', username };
  }
  return { ok: true, domain: domain || defaultDomain, username };
}

/**
 * Every field's problem in a request as the dialog sends it (the server stops at the
 * first); an empty object when the server will accept the fields.
 */
export function fieldProblems(
  request: Record<AccountField, string>,
  defaultDomain = ''
): Partial<Record<AccountField, IFieldProblem>> {
  const problems: Partial<Record<AccountField, IFieldProblem>> = {};
  const account = checkAccount(request.domain, request.username, defaultDomain);
  if (!account.ok) {
    problems[account.field] = account.problem;
    if (account.field === 'domain') {
      // The Domain field is wrong; the user name can still be checked on its own.
      const user = checkAccount('', request.username);
      if (!user.ok) {
        problems.username = user.problem;
      }
    }
  }
  const display = displayNameProblem(request.displayName);
  if (display) {
    problems.displayName = display;
  }
  const password = passwordProblem(request.password);
  if (password) {
    problems.password = password;
  }
  return problems;
}

/** A sentence for a field's problem, in the user's language. */
export function describeFieldProblem(
  field: AccountField,
  problem: IFieldProblem,
  trans: TranslationBundle
): string {
  switch (problem.code) {
    case 'required':
      return field === 'password'
        ? trans.__('Enter your password.')
        : trans.__('Enter your user name on the file server.');
    case 'too-long':
      return trans.__(
        'At most %1 characters.',
        {
          domain: MAX_DOMAIN,
          username: MAX_USERNAME,
          displayName: MAX_DISPLAY_NAME,
          password: MAX_PASSWORD
        }[field]
      );
    case 'control-char':
      return field === 'password'
        ? trans.__(
            'The password must not contain a NUL character or an unpaired surrogate.'
          )
        : trans.__('Line breaks and control characters are not allowed.');
    case 'forbidden-char':
      return trans.__(
        'The character "%1" is not allowed here.',
        problem.detail ?? ''
      );
    case 'dot-dot':
      return trans.__('".." is not allowed here.');
    case 'leading-dash':
      return trans.__('Must not start with "-".');
    case 'spaces':
      return trans.__('Must not start or end with a space.');
    case 'domain-chars':
      return trans.__(
        'Only letters, digits, ".", "_" and "-", starting with a letter or digit (e.g. UNI or uni.example).'
      );
    case 'realm':
      return trans.__(
        'Write user@domain with one "@" and a domain name after it (e.g. alice@uni.example).'
      );
    case 'two-domains':
      return trans.__('Name the domain once: UNI\\alice or alice@uni.example.');
    case 'user-domain': {
      const inner =
        problem.inner && problem.inner.code !== 'required'
          ? describeFieldProblem('domain', problem.inner, trans)
          : trans.__('It is missing.');
      return trans.__('The domain before "\\" is not valid. %1', inner);
    }
  }
}
