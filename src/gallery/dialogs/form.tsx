import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import '../../../style/gallery-dialogs.css';

/**
 * What a form dialog shows besides its fields: whether a request is running and the
 * last error (a sentence, and details such as the service's list of problems).
 */
export interface IFormState {
  busy: boolean;
  error: string | null;
  details: string[];
}

const IDLE: IFormState = { busy: false, error: null, details: [] };

/**
 * The body of a form dialog. The React view owns the field state (so typing never
 * waits for a render) and reports every change to `value`; the dialog reads `value` when
 * the user submits and reports busy state and errors through `state`.
 */
export abstract class FormBody<T> extends ReactWidget {
  constructor(initial: T) {
    super();
    this.value = initial;
    this.addClass('jp-Atrium-Gallery-form');
  }

  /** The fields as last edited. */
  value: T;

  get state(): IFormState {
    return this._state;
  }

  get stateChanged(): ISignal<this, IFormState> {
    return this._stateChanged;
  }

  setState(state: Partial<IFormState>): void {
    this._state = { ...this._state, ...state };
    this._stateChanged.emit(this._state);
  }

  getValue(): T {
    return this.value;
  }

  /** Called by the view on every edit. */
  readonly onChange = (value: T): void => {
    this.value = value;
  };

  /**
   * A problem with the fields that the service would refuse too, or null. Shown in the
   * dialog instead of sending the request.
   */
  validate(value: T): string | null {
    return null;
  }

  private _state: IFormState = IDLE;
  private _stateChanged = new Signal<this, IFormState>(this);
}

/**
 * Follow a form body's state in a React view.
 */
export function useFormState<T>(body: FormBody<T>): IFormState {
  const [state, setState] = React.useState(body.state);
  React.useEffect(() => {
    const update = (_: unknown, next: IFormState) => setState(next);
    body.stateChanged.connect(update);
    return () => {
      body.stateChanged.disconnect(update);
    };
  }, [body]);
  return state;
}

/**
 * The error and busy line of a form; `role="alert"` so screen readers announce it.
 */
export function FormStatus(props: {
  state: IFormState;
  busyText: string;
}): JSX.Element | null {
  const { state } = props;
  if (state.busy) {
    return (
      <div className="jp-Atrium-Gallery-formBusy" role="status">
        {props.busyText}
      </div>
    );
  }
  if (!state.error) {
    return null;
  }
  return (
    <div
      className="jp-Atrium-Gallery-formError"
      role="alert"
      data-testid="atrium-gallery-form-error"
    >
      <p>{state.error}</p>
      {state.details.length > 0 && (
        <ul>
          {state.details.map((detail, index) => (
            <li key={index}>{detail}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface ISubmitDialogOptions<T, R> {
  title: string;
  body: FormBody<T>;
  /** The last button is the default one (Enter). */
  buttons: Dialog.IButton[];
  /** Runs when an accept button is pressed; the dialog stays open until it settles. */
  submit: (value: T, button: Dialog.IButton) => Promise<R>;
  /** The sentence and details to show for a failed submit. */
  describe: (error: unknown) => { message: string; details?: string[] };
  /** Shown while `submit` runs. */
  busyText: string;
  /** Class added to the dialog node (a stable hook for UI tests). */
  className?: string;
}

/**
 * A dialog that runs its request while it stays open: a failure (400, 413, 422, the
 * network…) is shown inside it and the user's input is kept, to fix and send again.
 * Cancel (or Escape) closes it at any time; a request already sent still completes.
 */
export class SubmitDialog<T, R> extends Dialog<T> {
  constructor(options: ISubmitDialogOptions<T, R>) {
    super({
      title: options.title,
      body: options.body,
      buttons: options.buttons,
      defaultButton: options.buttons.length - 1,
      focusNodeSelector: 'input, textarea, select'
    });
    this._options = options;
    if (options.className) {
      this.addClass(options.className);
    }
  }

  /** What the last successful submit returned. */
  get result(): R | undefined {
    return this._result;
  }

  resolve(index?: number): void {
    const buttons = this._options.buttons;
    const button = buttons[index ?? buttons.length - 1];
    if (!button || !button.accept) {
      super.resolve(index);
      return;
    }
    if (this._submitting || this.isDisposed) {
      return;
    }
    const body = this._options.body;
    if (this.node.querySelector(':invalid')) {
      // The browser's own constraint (a required field) names what is missing.
      const invalid = this.node.querySelector(':invalid');
      const message =
        invalid instanceof HTMLInputElement ||
        invalid instanceof HTMLTextAreaElement ||
        invalid instanceof HTMLSelectElement
          ? invalid.validationMessage
          : '';
      body.setState({ error: message || null, details: [] });
      if (invalid instanceof HTMLElement) {
        invalid.focus();
      }
      return;
    }
    const problem = body.validate(body.value);
    if (problem) {
      body.setState({ error: problem, details: [] });
      return;
    }
    this._submitting = true;
    body.setState({ busy: true, error: null, details: [] });
    this._options.submit(body.value, button).then(
      result => {
        this._submitting = false;
        this._result = result;
        body.setState({ busy: false });
        super.resolve(index ?? buttons.length - 1);
      },
      error => {
        this._submitting = false;
        const { message, details = [] } = this._options.describe(error);
        body.setState({ busy: false, error: message, details });
      }
    );
  }

  private _options: ISubmitDialogOptions<T, R>;
  private _submitting = false;
  private _result: R | undefined;
}

/**
 * Show a submit dialog; the submit's result, or null when the user cancelled.
 */
export async function runSubmitDialog<T, R>(
  options: ISubmitDialogOptions<T, R>
): Promise<R | null> {
  const dialog = new SubmitDialog<T, R>(options);
  const result = await dialog.launch();
  return result.button.accept && dialog.result !== undefined
    ? dialog.result
    : null;
}
