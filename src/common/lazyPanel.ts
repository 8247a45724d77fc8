import { Spinner } from '@jupyterlab/apputils';
import { Message, MessageLoop } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

/*
 * Its own module: only the sidebar tabs made at startup need it, and a plugin that only
 * loads code on first use (`lazy`) should not carry it.
 */

/**
 * A sidebar widget whose tab (id, icon, caption) exists from the start while its content
 * is created the first time it is shown. Until then, after one frame, it shows a spinner.
 */
export class LazyPanel extends Panel {
  constructor(private readonly _create: () => Promise<Widget>) {
    super();
    this.addClass('jp-Atrium-LazyPanel');
  }

  /** The content, once created. */
  get content(): Widget | null {
    return this._content;
  }

  /** Creates the content (once) and resolves with it. */
  load(): Promise<Widget> {
    if (!this._loading) {
      const frame = requestAnimationFrame(() => {
        if (!this._content && !this.isDisposed) {
          this._spinner = new Spinner();
          this.addWidget(this._spinner);
        }
      });
      this._loading = this._create().then(
        content => {
          cancelAnimationFrame(frame);
          this._spinner?.dispose();
          this._spinner = null;
          this._content = content;
          if (this.isDisposed) {
            content.dispose();
          } else {
            this.addWidget(content);
            if (this.isVisible) {
              // Added to a panel already on screen: it missed the show it waits for.
              MessageLoop.sendMessage(content, Widget.Msg.AfterShow);
            }
          }
          return content;
        },
        error => {
          cancelAnimationFrame(frame);
          this._spinner?.dispose();
          this._spinner = null;
          this._loading = null;
          console.warn('Atrium: a panel could not be loaded', error);
          throw error;
        }
      );
    }
    return this._loading;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.load().catch(() => undefined);
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this.load().catch(() => undefined);
    }
  }

  private _content: Widget | null = null;
  private _loading: Promise<Widget> | null = null;
  private _spinner: Spinner | null = null;
}
