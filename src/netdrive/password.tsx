import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { SubmitDialog } from './submitDialog';

import '../../style/netdrive.css';

export const PASSWORD_DIALOG_CLASS = 'jp-Atrium-NetDrive-passwordDialog';
export const PASSWORD_BUTTON_CLASS = 'jp-Atrium-NetDrive-passwordButton';

let idCounter = 0;

export interface IPasswordBodyOptions {
  /** What the password is for, e.g. "user@fileserver (drives: a, b)". */
  message: string;
  trans: TranslationBundle;
  /** Uses the password; throws to keep the dialog open with `describe(error)`. */
  submit: (password: string) => Promise<void>;
  describe: (error: unknown) => string;
}

/**
 * Asks for one password and uses it at once. The value exists only in this widget while
 * the dialog is open; it is cleared after every attempt, so a wrong one is retyped.
 */
export class PasswordBody extends ReactWidget {
  constructor(options: IPasswordBodyOptions) {
    super();
    this.addClass('jp-Atrium-NetDrive-passwordBody');
    this._options = options;
    this._id = `jp-Atrium-NetDrive-password${++idCounter}`;
  }

  onBusyChanged: ((busy: boolean) => void) | null = null;

  get busy(): boolean {
    return this._busy;
  }

  get error(): string | null {
    return this._error;
  }

  getValue(): boolean {
    return this._done;
  }

  setPassword(value: string): void {
    this._password = value;
    this.update();
  }

  /** Resolves true once the password was accepted. */
  async submit(): Promise<boolean> {
    if (this._busy) {
      return false;
    }
    const { trans } = this._options;
    if (!this._password) {
      this._error = trans.__('Enter your password.');
      this.update();
      return false;
    }
    this._setBusy(true);
    this._error = null;
    try {
      await this._options.submit(this._password);
      this._done = true;
      return true;
    } catch (error) {
      this._error = this._options.describe(error);
      return false;
    } finally {
      this._password = '';
      this._setBusy(false);
      this._focusInput();
    }
  }

  /** Focus the password input once React has enabled it again (a few frames at most). */
  private _focusInput(frames = 10): void {
    requestAnimationFrame(() => {
      const input = this.node.querySelector<HTMLInputElement>('input');
      if (input?.disabled && frames > 0) {
        this._focusInput(frames - 1);
        return;
      }
      input?.focus();
    });
  }

  dispose(): void {
    this._password = '';
    this.onBusyChanged = null;
    super.dispose();
  }

  render(): JSX.Element {
    const { trans, message } = this._options;
    return (
      <form
        className="jp-Atrium-NetDrive-passwordForm"
        aria-busy={this._busy}
        onSubmit={event => event.preventDefault()}
      >
        <p id={`${this._id}-message`}>{message}</p>
        <label htmlFor={this._id}>{trans.__('Password')}</label>
        <input
          id={this._id}
          name="password"
          type="password"
          className="jp-mod-styled jp-Atrium-NetDrive-input"
          autoComplete="new-password"
          value={this._password}
          disabled={this._busy}
          aria-describedby={
            this._error
              ? `${this._id}-message ${this._id}-error`
              : `${this._id}-message`
          }
          aria-invalid={this._error ? true : undefined}
          onChange={event => this.setPassword(event.currentTarget.value)}
        />
        {this._busy && (
          <div className="jp-Atrium-NetDrive-progress" role="status">
            <progress aria-label={trans.__('Connecting')} />
            <span>{trans.__('Connecting…')}</span>
          </div>
        )}
        {this._error && (
          <div
            id={`${this._id}-error`}
            className="jp-Atrium-NetDrive-formError"
            role="alert"
          >
            {this._error}
          </div>
        )}
      </form>
    );
  }

  private _setBusy(busy: boolean): void {
    this._busy = busy;
    this.onBusyChanged?.(busy);
    this.update();
  }

  private _busy = false;
  private _done = false;
  private _error: string | null = null;
  private _id: string;
  private _options: IPasswordBodyOptions;
  private _password = '';
}

class PasswordDialog extends SubmitDialog<boolean> {
  constructor(body: PasswordBody, title: string, trans: TranslationBundle) {
    super(body, {
      title,
      acceptLabel: trans.__('Connect'),
      acceptClass: PASSWORD_BUTTON_CLASS,
      dialogClass: PASSWORD_DIALOG_CLASS,
      focusNodeSelector: 'input[name="password"]',
      trans
    });
  }
}

/**
 * Ask for a password and use it; stays open after a refusal. Resolves true when the
 * password was accepted, false when the user gave up.
 */
export async function askPassword(
  title: string,
  options: IPasswordBodyOptions
): Promise<boolean> {
  const body = new PasswordBody(options);
  const dialog = new PasswordDialog(body, title, options.trans);
  try {
    const result = await dialog.launch();
    return result.button.accept && result.value === true;
  } finally {
    dialog.dispose();
  }
}
