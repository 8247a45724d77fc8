import { TranslationBundle } from '@jupyterlab/translation';

import { AtriumRequestError, describeError } from '../common/request';
import {
  AccountField,
  checkAccount,
  defaultDisplayName,
  describeFieldProblem,
  fieldProblems
} from './fields';
import {
  describeShareError,
  formatShare,
  parseShare,
  serverAllowed
} from './share';
import { IConnectRequest, INetDrivePolicy } from './types';

/** The connect dialog's fields. The password lives here only while the dialog is open. */
export interface IConnectFields {
  share: string;
  domain: string;
  username: string;
  password: string;
  displayName: string;
  readOnly: boolean;
}

export type FieldName = keyof IConnectFields;

/** Per-field messages; a field without an entry is fine. */
export type FieldErrors = Partial<Record<FieldName, string>>;

const FIELD_NAMES: readonly FieldName[] = [
  'share',
  'domain',
  'username',
  'password',
  'displayName',
  'readOnly'
];

export function initialFields(policy: INetDrivePolicy | null): IConnectFields {
  return {
    share: '',
    domain: policy?.defaultDomain ?? '',
    username: '',
    password: '',
    displayName: '',
    readOnly: policy?.readOnlyDefault ?? false
  };
}

/** The display name used when the user leaves the field empty ('' if none is valid). */
export function suggestedDisplayName(share: string): string {
  const parsed = parseShare(share);
  return parsed.ok ? defaultDisplayName(parsed) : '';
}

/**
 * The fields after the user set `name` to `value`. The display name follows the share
 * (`\\server\Finance` gives "Finance") until the user types a name of their own.
 */
export function changeField(
  fields: IConnectFields,
  name: FieldName,
  value: string | boolean
): IConnectFields {
  const next = { ...fields, [name]: value };
  if (name === 'share' && typeof value === 'string') {
    const shown = fields.displayName.trim();
    if (!shown || shown === suggestedDisplayName(fields.share)) {
      next.displayName = suggestedDisplayName(value);
    }
  }
  return next;
}

/**
 * Messages for the fields as they are now: the rule of `fields.ts` applied to the request
 * the dialog would send (names trimmed). `touched` limits "required" messages to fields the
 * user has left (or to all, on submit); malformed input is reported at once.
 */
export function validateFields(
  fields: IConnectFields,
  policy: INetDrivePolicy | null,
  trans: TranslationBundle,
  touched: ReadonlySet<FieldName> | 'all'
): FieldErrors {
  const errors: FieldErrors = {};
  const seen = (name: FieldName) => touched === 'all' || touched.has(name);

  const parsed = parseShare(fields.share);
  if (!parsed.ok) {
    if (parsed.error !== 'empty' || seen('share')) {
      errors.share = describeShareError(parsed.error, parsed.detail, trans);
    }
  } else if (
    policy &&
    !serverAllowed(parsed.server, parsed.port, policy.allowedServers)
  ) {
    errors.share = trans.__(
      'Your administrator allows only these servers: %1',
      policy.allowedServers.join(', ')
    );
  }

  const problems = fieldProblems(
    { ...connectRequest(fields), displayName: fields.displayName.trim() },
    policy?.defaultDomain ?? ''
  );
  for (const [field, problem] of Object.entries(problems) as [
    AccountField,
    NonNullable<(typeof problems)[AccountField]>
  ][]) {
    if (problem.code !== 'required' || seen(field)) {
      errors[field] = describeFieldProblem(field, problem, trans);
    }
  }
  return errors;
}

/**
 * Who the dialog will sign in as (`UNI\alice`, `alice@uni.example`, `alice`), or null while
 * the user name is not valid.
 */
export function signInAs(
  fields: IConnectFields,
  policy: INetDrivePolicy | null
): string | null {
  const request = connectRequest(fields);
  const account = checkAccount(
    request.domain,
    request.username,
    policy?.defaultDomain ?? ''
  );
  if (!account.ok) {
    return null;
  }
  return account.domain
    ? `${account.domain}\\${account.username}`
    : account.username;
}

/**
 * The request body for valid fields: the share in its normalised spelling, names trimmed,
 * the account as typed (the server splits `UNI\alice` by the same rule).
 */
export function connectRequest(fields: IConnectFields): IConnectRequest {
  const parsed = parseShare(fields.share);
  const share = parsed.ok ? formatShare(parsed) : fields.share.trim();
  return {
    share,
    domain: fields.domain.trim(),
    username: fields.username.trim(),
    password: fields.password,
    displayName:
      fields.displayName.trim() || suggestedDisplayName(fields.share),
    readOnly: fields.readOnly
  };
}

/** Where a failed connect is shown: next to a field, or for the whole form. */
export interface IConnectFailure {
  field: FieldName | null;
  message: string;
}

/**
 * A specific sentence for each `reason` the server gives when a connect fails. The
 * server's own message is kept where it says more (invalid fields, SMB errors).
 */
export function describeConnectFailure(
  error: unknown,
  trans: TranslationBundle,
  context: { server?: string; maxDrives?: number } = {}
): IConnectFailure {
  if (!(error instanceof AtriumRequestError)) {
    return { field: null, message: describeError(error, trans) };
  }
  const server = context.server ?? '';
  switch (error.reason) {
    case 'bad-credentials':
      return {
        field: 'password',
        message: trans.__(
          'The file server refused this user name and password. Check them and the domain.'
        )
      };
    case 'share-not-found':
      return {
        field: 'share',
        message: trans.__(
          'The server answers, but has no share or folder by this name.'
        )
      };
    case 'unreachable':
      return {
        field: 'share',
        message: server
          ? trans.__(
              'The server %1 does not answer. Check the address, or whether it can only be reached from another network (VPN).',
              server
            )
          : trans.__(
              'The server does not answer. Check the address, or whether it can only be reached from another network (VPN).'
            )
      };
    case 'access-denied':
      return {
        field: null,
        message: trans.__(
          'You signed in, but your account may not open this share. Ask the share’s owner for access.'
        )
      };
    case 'not-allowed':
      return {
        field: 'share',
        message:
          error.message ||
          trans.__(
            'Your administrator does not allow connecting to this server.'
          )
      };
    case 'too-many-drives':
      return {
        field: null,
        message:
          context.maxDrives !== undefined
            ? trans.__(
                'You already have %1 network drives, the most allowed. Forget one in the Network Drives panel first.',
                context.maxDrives
              )
            : trans.__(
                'You already have the most network drives allowed. Forget one in the Network Drives panel first.'
              )
      };
    case 'name-taken':
      return {
        field: 'displayName',
        message: trans.__(
          'You already have a drive by this name. Choose another display name.'
        )
      };
    case 'invalid-share':
      return {
        field: 'share',
        message: error.message || trans.__('The server refused this address.')
      };
    case 'invalid-field':
      // The server's own sentence, next to the field it names.
      return {
        field: FIELD_NAMES.find(name => name === error.field) ?? null,
        message: error.message || trans.__('The server refused a field.')
      };
    case 'smb-error':
      return {
        field: null,
        message: error.message
          ? trans.__('The file server reported an error: %1', error.message)
          : trans.__('The file server reported an error.')
      };
    default:
      return { field: null, message: describeError(error, trans) };
  }
}
