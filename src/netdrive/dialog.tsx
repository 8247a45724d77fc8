import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  changeField,
  connectRequest,
  describeConnectFailure,
  FieldErrors,
  FieldName,
  IConnectFailure,
  IConnectFields,
  initialFields,
  signInAs,
  suggestedDisplayName,
  validateFields
} from './form';
import { concreteServers, parseShare } from './share';
import { IConnectRequest, IDriveInfo, INetDrivePolicy } from './types';
import { SubmitDialog } from './submitDialog';

import '../../style/netdrive.css';

export const CONNECT_DIALOG_CLASS = 'jp-Atrium-NetDrive-connectDialog';
export const CONNECT_BUTTON_CLASS = 'jp-Atrium-NetDrive-connectButton';

let idCounter = 0;

export interface IConnectFormProps {
  fields: IConnectFields;
  errors: FieldErrors;
  failure: IConnectFailure | null;
  busy: boolean;
  policy: INetDrivePolicy | null;
  trans: TranslationBundle;
  idPrefix: string;
  onChange: (name: FieldName, value: string | boolean) => void;
  onBlur: (name: FieldName) => void;
}

interface ITextFieldProps {
  props: IConnectFormProps;
  name: Exclude<FieldName, 'readOnly'>;
  label: string;
  type?: 'text' | 'password';
  autoComplete: string;
  placeholder?: string;
  hint?: React.ReactNode;
  required?: boolean;
  list?: string;
}

function TextField(field: ITextFieldProps): JSX.Element {
  const { props, name } = field;
  const id = `${props.idPrefix}-${name}`;
  const serverFailure =
    props.failure?.field === name ? props.failure.message : undefined;
  const error = props.errors[name] ?? serverFailure;
  const described = [field.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="jp-Atrium-NetDrive-field" data-atrium-field={name}>
      <label htmlFor={id}>{field.label}</label>
      <input
        id={id}
        name={name}
        className={
          error
            ? 'jp-mod-styled jp-Atrium-NetDrive-input jp-Atrium-NetDrive-invalid'
            : 'jp-mod-styled jp-Atrium-NetDrive-input'
        }
        type={field.type ?? 'text'}
        value={props.fields[name]}
        autoComplete={field.autoComplete}
        spellCheck={false}
        autoCapitalize="off"
        placeholder={field.placeholder}
        list={field.list}
        disabled={props.busy}
        aria-required={field.required ? true : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={event => props.onChange(name, event.currentTarget.value)}
        onBlur={() => props.onBlur(name)}
      />
      {field.hint && (
        <div id={`${id}-hint`} className="jp-Atrium-NetDrive-hint">
          {field.hint}
        </div>
      )}
      {error && (
        <div
          id={`${id}-error`}
          className="jp-Atrium-NetDrive-fieldError"
          data-atrium-error-for={name}
          role={serverFailure && !props.errors[name] ? 'alert' : undefined}
        >
          {error}
        </div>
      )}
    </div>
  );
}

/**
 * The connect form: share, domain, user name, password, display name, read-only. Fully
 * controlled by `ConnectBody`; rendering it keeps nothing.
 */
export function ConnectForm(props: IConnectFormProps): JSX.Element {
  const { trans, policy, fields } = props;
  const servers = policy ? concreteServers(policy.allowedServers) : [];
  const listId = `${props.idPrefix}-servers`;
  const restricted = !!policy && policy.allowedServers.length > 0;
  const parsed = parseShare(fields.share);
  const readOnlyId = `${props.idPrefix}-readOnly`;
  const account = fields.username.trim() ? signInAs(fields, policy) : null;
  const defaultDomain = policy?.defaultDomain ?? '';
  return (
    <form
      className="jp-Atrium-NetDrive-connectForm"
      aria-busy={props.busy}
      onSubmit={event => event.preventDefault()}
    >
      <TextField
        props={props}
        name="share"
        label={trans.__('Share')}
        autoComplete="off"
        placeholder="\\server\share\folder"
        required
        list={servers.length ? listId : undefined}
        hint={
          restricted
            ? trans.__('Allowed servers: %1', policy.allowedServers.join(', '))
            : trans.__(
                'For example \\\\fileserver\\department\\project, //fileserver/department or smb://fileserver/department.'
              )
        }
      />
      {servers.length > 0 && (
        <datalist id={listId}>
          {servers.map(server => (
            <option key={server} value={`\\\\${server}\\`} />
          ))}
        </datalist>
      )}
      <TextField
        props={props}
        name="domain"
        label={trans.__('Domain')}
        autoComplete="off"
        hint={
          defaultDomain
            ? trans.__('Leave empty to use %1, the default.', defaultDomain)
            : trans.__('Leave empty for a local account of the file server.')
        }
      />
      <TextField
        props={props}
        name="username"
        label={trans.__('User name')}
        autoComplete="off"
        required
        hint={
          account
            ? trans.__('Signs in as %1.', account)
            : trans.__(
                'A domain may be part of it: UNI\\alice or alice@uni.example.'
              )
        }
      />
      <TextField
        props={props}
        name="password"
        label={trans.__('Password')}
        type="password"
        autoComplete="new-password"
        required
        hint={trans.__(
          'Sent once to your Jupyter server, kept only in its memory while the drive is connected, never saved.'
        )}
      />
      <TextField
        props={props}
        name="displayName"
        label={trans.__('Display name')}
        autoComplete="off"
        placeholder={suggestedDisplayName(fields.share) || undefined}
      />
      <div className="jp-Atrium-NetDrive-field" data-atrium-field="readOnly">
        <input
          id={readOnlyId}
          name="readOnly"
          type="checkbox"
          checked={fields.readOnly}
          disabled={props.busy}
          onChange={event =>
            props.onChange('readOnly', event.currentTarget.checked)
          }
        />
        <label htmlFor={readOnlyId}>{trans.__('Read-only')}</label>
      </div>
      {props.busy && (
        <div className="jp-Atrium-NetDrive-progress" role="status">
          <progress aria-label={trans.__('Connecting')} />
          <span>
            {parsed.ok
              ? trans.__('Connecting to %1…', fields.share.trim())
              : trans.__('Connecting…')}
          </span>
        </div>
      )}
      {props.failure && props.failure.field === null && (
        <div className="jp-Atrium-NetDrive-formError" role="alert">
          {props.failure.message}
        </div>
      )}
    </form>
  );
}

export interface IConnectBodyOptions {
  policy: INetDrivePolicy | null;
  trans: TranslationBundle;
  /** Sends the request; resolves with the connected drive or throws the server's error. */
  connect: (request: IConnectRequest) => Promise<IDriveInfo>;
  /** Fields to start with (never a password). */
  initial?: Partial<Omit<IConnectFields, 'password'>>;
}

/**
 * The dialog body: holds the fields (the password only while the dialog is open),
 * validates as the user types and sends the request.
 */
export class ConnectBody extends ReactWidget {
  constructor(options: IConnectBodyOptions) {
    super();
    this.addClass('jp-Atrium-NetDrive-connectBody');
    this._options = options;
    this._fields = {
      ...initialFields(options.policy),
      ...options.initial,
      password: ''
    };
    this._idPrefix = `jp-Atrium-NetDrive-connect${++idCounter}`;
  }

  /** Called when a request starts or ends (the dialog disables its button). */
  onBusyChanged: ((busy: boolean) => void) | null = null;

  get busy(): boolean {
    return this._busy;
  }

  get fields(): Readonly<IConnectFields> {
    return this._fields;
  }

  get failure(): IConnectFailure | null {
    return this._failure;
  }

  /** The connected drive, once `submit` succeeded. */
  getValue(): IDriveInfo | null {
    return this._result;
  }

  setField(name: FieldName, value: string | boolean): void {
    this._fields = changeField(this._fields, name, value);
    if (this._failure && (this._failure.field === name || name === 'share')) {
      this._failure = null;
    }
    this.update();
  }

  touch(name: FieldName): void {
    if (this._touched !== 'all' && !this._touched.has(name)) {
      this._touched = new Set([...this._touched, name]);
      this.update();
    }
  }

  errors(): FieldErrors {
    return validateFields(
      this._fields,
      this._options.policy,
      this._options.trans,
      this._touched
    );
  }

  /**
   * Validate everything and connect. Resolves with the drive, or null when a field is
   * wrong or the server refused (the message is shown; fields are kept, the password
   * too, so the user can correct the user name; it is cleared on success and close).
   */
  async submit(): Promise<IDriveInfo | null> {
    if (this._busy) {
      return null;
    }
    this._touched = 'all';
    this._failure = null;
    const errors = this.errors();
    const invalid = (Object.keys(errors) as FieldName[])[0];
    if (invalid) {
      this.update();
      this._focus(invalid);
      return null;
    }
    const parsed = parseShare(this._fields.share);
    this._setBusy(true);
    try {
      const info = await this._options.connect(connectRequest(this._fields));
      this._fields = { ...this._fields, password: '' };
      this._result = info;
      return info;
    } catch (error) {
      this._failure = describeConnectFailure(error, this._options.trans, {
        server: parsed.ok ? parsed.server : undefined,
        maxDrives: this._options.policy?.maxDrives
      });
      return null;
    } finally {
      this._setBusy(false);
      if (this._failure?.field) {
        this._focus(this._failure.field);
      }
    }
  }

  dispose(): void {
    this._fields = { ...this._fields, password: '' };
    this.onBusyChanged = null;
    super.dispose();
  }

  render(): JSX.Element {
    return (
      <ConnectForm
        fields={this._fields}
        errors={this.errors()}
        failure={this._failure}
        busy={this._busy}
        policy={this._options.policy}
        trans={this._options.trans}
        idPrefix={this._idPrefix}
        onChange={(name, value) => this.setField(name, value)}
        onBlur={name => this.touch(name)}
      />
    );
  }

  private _setBusy(busy: boolean): void {
    this._busy = busy;
    this.onBusyChanged?.(busy);
    this.update();
  }

  private _focus(name: FieldName, frames = 10): void {
    // After React has rendered the update: the inputs are disabled while busy, and a
    // disabled input cannot take the focus, so wait (a few frames at most) for that.
    requestAnimationFrame(() => {
      const input = this.node.querySelector<HTMLInputElement>(
        `input[name="${name}"]`
      );
      if (input?.disabled && frames > 0) {
        this._focus(name, frames - 1);
        return;
      }
      input?.focus();
    });
  }

  private _busy = false;
  private _failure: IConnectFailure | null = null;
  private _fields: IConnectFields;
  private _idPrefix: string;
  private _options: IConnectBodyOptions;
  private _result: IDriveInfo | null = null;
  private _touched: Set<FieldName> | 'all' = new Set();
}

/**
 * The connect dialog: stays open while connecting and after a refusal.
 */
export class ConnectDialog extends SubmitDialog<IDriveInfo | null> {
  constructor(body: ConnectBody, trans: TranslationBundle) {
    super(body, {
      title: trans.__('Connect a Network Drive'),
      acceptLabel: trans.__('Connect'),
      acceptClass: CONNECT_BUTTON_CLASS,
      dialogClass: CONNECT_DIALOG_CLASS,
      focusNodeSelector: 'input[name="share"]',
      trans
    });
  }
}

/**
 * Show the connect dialog; resolves with the connected drive, or null when the user
 * closed it.
 */
export async function showConnectDialog(
  options: IConnectBodyOptions
): Promise<IDriveInfo | null> {
  const body = new ConnectBody(options);
  const dialog = new ConnectDialog(body, options.trans);
  try {
    const result = await dialog.launch();
    return result.button.accept ? result.value : null;
  } finally {
    dialog.dispose();
  }
}
