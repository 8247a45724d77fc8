import { Spinner } from '@jupyterlab/apputils';
import { Message, MessageLoop } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

/*
 * Startup loads only what the first screen shows (issue 16); panels, dialogs and flows
 * come in with dynamic `import()` on first use, which webpack turns into separate chunks.
 * These helpers give every such load the same busy state and caching.
 */

/** The class on <body> while a lazy part takes longer than a frame to arrive. */
export const BUSY_CLASS = 'jp-Atrium-mod-loading';

let pending = 0;

/**
 * Resolves with `work`; if it is not done by the next frame, the page shows a progress
 * cursor until it settles (a cached chunk arrives within the frame and shows nothing).
 */
export async function busy<T>(work: Promise<T>): Promise<T> {
  let shown = false;
  const frame = requestAnimationFrame(() => {
    shown = true;
    if (pending++ === 0) {
      document.body.classList.add(BUSY_CLASS);
    }
  });
  try {
    return await work;
  } finally {
    cancelAnimationFrame(frame);
    if (shown && --pending === 0) {
      document.body.classList.remove(BUSY_CLASS);
    }
  }
}

/**
 * `load` run once, its result kept; a failed load (say, the server restarted with a new
 * build) is not remembered, so the next use tries again. Every load shows `busy`.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | null = null;
  return () => {
    if (!promise) {
      promise = load().catch(error => {
        promise = null;
        throw error;
      });
    }
    return busy(promise);
  };
}

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
