import { TranslationBundle } from '@jupyterlab/translation';

import { AtriumRequestError, describeError } from '../common/request';
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

export const MAX_DISPLAY_NAME = 64;
export const MAX_ACCOUNT_PART = 256;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Characters Windows never allows in account and domain names (and `,` `=` `%`). */
const ACCOUNT_FORBIDDEN = /[\\/:*?"<>|,=%[\];+]/;

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

/** The display name used when the user leaves the field empty. */
export function suggestedDisplayName(share: string): string {
  const parsed = parseShare(share);
  if (!parsed.ok) {
    return '';
  }
  const parts = parsed.folder ? parsed.folder.split('/') : [];
  return parts.length ? parts[parts.length - 1] : parsed.share;
}

function accountError(
  value: string,
  label: 'user' | 'domain',
  trans: TranslationBundle
): string | undefined {
  if (CONTROL.test(value)) {
    return trans.__('Line breaks and control characters are not allowed.');
  }
  if (value.length > MAX_ACCOUNT_PART) {
    return trans.__('At most %1 characters.', MAX_ACCOUNT_PART);
  }
  const bad = ACCOUNT_FORBIDDEN.exec(value);
  if (bad) {
    if (label === 'user' && bad[0] === '\\') {
      return trans.__(
        'Write the domain in the Domain field and only the user name here.'
      );
    }
    return trans.__('The character "%1" is not allowed here.', bad[0]);
  }
  return undefined;
}

/**
 * Messages for the fields as they are now. `touched` limits "required" messages to
 * fields the user has left (or to all, on submit); malformed input is reported at once.
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
  } else if (policy && !serverAllowed(parsed.server, policy.allowedServers)) {
    errors.share = trans.__(
      'Your administrator allows only these servers: %1',
      policy.allowedServers.join(', ')
    );
  }

  const domain = accountError(fields.domain.trim(), 'domain', trans);
  if (domain) {
    errors.domain = domain;
  }
  const username = fields.username.trim();
  const user = accountError(username, 'user', trans);
  if (user) {
    errors.username = user;
  } else if (!username && seen('username')) {
    errors.username = trans.__('Enter your user name on the file server.');
  }

  if (CONTROL.test(fields.password)) {
    errors.password = trans.__('Control characters are not allowed.');
  } else if (!fields.password && seen('password')) {
    errors.password = trans.__('Enter your password.');
  }

  const display = fields.displayName.trim();
  if (CONTROL.test(display)) {
    errors.displayName = trans.__(
      'Line breaks and control characters are not allowed.'
    );
  } else if (display.length > MAX_DISPLAY_NAME) {
    errors.displayName = trans.__('At most %1 characters.', MAX_DISPLAY_NAME);
  }
  return errors;
}

/** The request body for valid fields (the share in its normalised spelling). */
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
        message: trans.__(
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
      return {
        field: null,
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
