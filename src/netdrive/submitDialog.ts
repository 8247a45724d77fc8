import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

/**
 * A dialog body that does its own work when the user accepts, and reports when it is busy.
 * `submit` resolves with a truthy result on success and a falsy one after a refusal, which
 * the body shows itself.
 */
export interface ISubmittingBody<T> extends Widget {
  onBusyChanged: ((busy: boolean) => void) | null;
  submit(): Promise<T>;
}

export interface ISubmitDialogOptions {
  title: string;
  acceptLabel: string;
  /** Class of the accept button, disabled while the body is busy. */
  acceptClass: string;
  dialogClass: string;
  focusNodeSelector: string;
  trans: TranslationBundle;
}

/**
 * A dialog that stays open while its body works and after a refusal: the accept button
 * (also Enter) submits the body; only success or Cancel/Escape close it.
 */
export class SubmitDialog<T> extends Dialog<T> {
  constructor(body: ISubmittingBody<T>, options: ISubmitDialogOptions) {
    super({
      title: options.title,
      body,
      buttons: [
        Dialog.cancelButton({ label: options.trans.__('Cancel') }),
        Dialog.okButton({
          label: options.acceptLabel,
          className: options.acceptClass
        })
      ],
      defaultButton: 1,
      focusNodeSelector: options.focusNodeSelector,
      hasClose: true
    });
    this.addClass(options.dialogClass);
    this._form = body;
    body.onBusyChanged = busy => {
      const button = this.node.querySelector<HTMLButtonElement>(
        `.${options.acceptClass}`
      );
      if (button) {
        button.disabled = busy;
      }
    };
  }

  resolve(index?: number): void {
    const chosen = index ?? 1;
    if (chosen !== 1) {
      super.resolve(chosen);
      return;
    }
    void this._form.submit().then(result => {
      if (result && !this.isDisposed) {
        super.resolve(1);
      }
    });
  }

  private _form: ISubmittingBody<T>;
}
