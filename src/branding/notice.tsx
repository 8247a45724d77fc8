import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';
import * as React from 'react';
import { flushSync } from 'react-dom';

import { IKeyValueStore, isDismissed, rememberDismissal } from './dismissal';
import { isSafeHref } from './policy';
import { IBrandNotice, InlineToken } from './types';

export const NOTICE_CLASS = 'jp-Atrium-Branding-notice';
export const WITH_NOTICE_CLASS = 'jp-Atrium-Branding-withNotice';

type Position = 'top' | 'bottom';

/** A banner of one line of text: its `min-height` in style/branding.css (a test checks). */
export const BANNER_HEIGHT = 24;

/**
 * The server's inline tokens as React nodes: text stays text (React escapes it), links
 * open in a new tab without access to this page, and a link whose target is not a safe
 * URL is shown as its text only.
 */
export function renderTokens(
  tokens: readonly InlineToken[],
  key = 'n'
): React.ReactNode[] {
  return tokens.map((token, index) => {
    const k = `${key}.${index}`;
    switch (token.t) {
      case 'text':
        return <React.Fragment key={k}>{token.v}</React.Fragment>;
      case 'code':
        return <code key={k}>{token.v}</code>;
      case 'strong':
        return <strong key={k}>{renderTokens(token.c, k)}</strong>;
      case 'em':
        return <em key={k}>{renderTokens(token.c, k)}</em>;
      case 'link':
        if (!isSafeHref(token.href)) {
          return (
            <React.Fragment key={k}>{renderTokens(token.c, k)}</React.Fragment>
          );
        }
        return (
          <a
            key={k}
            href={token.href}
            target="_blank"
            rel="noopener noreferrer"
          >
            {renderTokens(token.c, k)}
          </a>
        );
      default:
        // Unknown token kinds from a newer server are skipped rather than guessed at.
        return null;
    }
  });
}

export interface INoticeBannerProps {
  notice: IBrandNotice;
  /**
   * Whether this copy is announced to screen readers. A notice shown top and bottom is
   * announced once: two live regions would read it twice.
   */
  announce: boolean;
  trans: TranslationBundle;
  onDismiss: (() => void) | null;
}

/**
 * One banner: the notice's text, and a close button only when the admin allows it.
 * Info notices are polite status messages; warnings and critical notices are alerts.
 */
export function NoticeBanner(props: INoticeBannerProps): JSX.Element {
  const { notice, announce, trans, onDismiss } = props;
  const live = announce
    ? notice.level === 'info'
      ? { role: 'status', 'aria-live': 'polite' as const }
      : { role: 'alert' }
    : { 'aria-hidden': true };
  return (
    <>
      <div
        className="jp-Atrium-Branding-notice-text"
        title={notice.plain}
        {...live}
      >
        {renderTokens(notice.tokens)}
      </div>
      {notice.dismissible && onDismiss && (
        <button
          type="button"
          className="jp-Atrium-Branding-notice-close"
          aria-label={trans.__('Dismiss notice')}
          title={trans.__('Dismiss notice')}
          onClick={onDismiss}
        >
          <span aria-hidden="true">×</span>
        </button>
      )}
    </>
  );
}

class NoticeWidget extends ReactWidget {
  constructor(
    private readonly _props: INoticeBannerProps & { position: Position }
  ) {
    super();
    this.id = `jp-Atrium-Branding-notice-${_props.position}`;
    this.addClass(NOTICE_CLASS);
    this.node.dataset.position = _props.position;
    this.node.dataset.level = _props.notice.level;
  }

  protected render(): JSX.Element {
    return <NoticeBanner {...this._props} />;
  }
}

export interface IShowNoticeOptions {
  /** The application shell (JupyterLab's or Notebook 7's `#main`), made room for. */
  shell: Widget;
  trans: TranslationBundle;
  /**
   * Resolves once the shell is in the page (`app.started`), when the notice is shown
   * before it: the bottom banner then moves after the shell, where it is read last.
   */
  shellAttached?: Promise<unknown>;
  store?: IKeyValueStore | null;
  doc?: Document;
}

/**
 * Show the notice at the top and/or bottom of the page.
 *
 * The banners are attached to <body> beside the application shell, not added to a shell
 * area: JupyterLab's `header` area does not exist in Notebook 7, Notebook 7's `top` area
 * is hidden by View › Show Header and Zen mode, and JupyterLab's top area by Simple mode's
 * Show Header. Outside the shell, no View toggle or setting can hide a notice the admin
 * made non-dismissible; the shell is shortened by the banners' height (CSS variables on
 * <body>) so they never cover it.
 *
 * Room is made at once for banners of one line (`BANNER_HEIGHT`, the banner's min-height
 * in style/branding.css, whose font sizes have fallbacks so the theme's later stylesheet
 * keeps that height): nothing is measured, because reading a height during start-up lays
 * out the whole page before the theme has arrived, and that style pass alone brought V8's
 * first full garbage collection (15–40 ms) in before `app.restored` (issue 16). Shown
 * during plugin activation, before JupyterLab puts the shell in the page, the shell is
 * then laid out once, at its final size, when it arrives. A ResizeObserver reports the
 * real heights after the browser's own next layout and lays the shell out again only when
 * one differs: a text that wraps (a long notice, a narrow window, a larger UI font).
 */
export function showNotice(
  notice: IBrandNotice,
  options: IShowNoticeOptions
): IDisposable {
  const { shell, trans, shellAttached, store, doc = document } = options;
  const noop: IDisposable = { isDisposed: true, dispose: () => undefined };
  if (notice.dismissible && isDismissed(notice.id, store)) {
    return noop;
  }
  const body = doc.body;
  const early = !shell.isAttached;
  const widgets: NoticeWidget[] = [];
  const observers: ResizeObserver[] = [];
  let disposed = false;
  const heights = { top: 0, bottom: 0 };
  const setHeights = () => {
    for (const position of ['top', 'bottom'] as const) {
      body.style.setProperty(
        `--jp-atrium-notice-${position}-height`,
        `${Math.ceil(heights[position])}px`
      );
    }
  };
  const onResize = (entries: ResizeObserverEntry[]) => {
    let changed = false;
    for (const entry of entries) {
      const position = (entry.target as HTMLElement).dataset.position;
      if (position === 'top' || position === 'bottom') {
        const box = entry.borderBoxSize?.[0];
        const height = box
          ? box.blockSize
          : entry.target.getBoundingClientRect().height;
        changed ||= Math.ceil(height) !== Math.ceil(heights[position]);
        heights[position] = height;
      }
    }
    if (changed && !disposed) {
      setHeights();
      // The shell lays its areas out only on resize/update messages; its box just changed.
      shell.update();
    }
  };
  const dispose = () => {
    if (disposed) {
      return;
    }
    disposed = true;
    observers.forEach(o => o.disconnect());
    widgets.forEach(w => w.dispose());
    body.classList.remove(WITH_NOTICE_CLASS);
    body.style.removeProperty('--jp-atrium-notice-top-height');
    body.style.removeProperty('--jp-atrium-notice-bottom-height');
    shell.update();
  };
  const onDismiss = notice.dismissible
    ? () => {
        rememberDismissal(notice.id, store);
        dispose();
      }
    : null;
  const positions = (['top', 'bottom'] as const).filter(p =>
    notice.position.includes(p)
  );
  positions.forEach((position, index) => {
    const widget = new NoticeWidget({
      notice,
      position,
      announce: index === 0,
      trans,
      onDismiss
    });
    widgets.push(widget);
    // Top banner before the shell, so it is read first; bottom banner after it.
    const before =
      position === 'top'
        ? shell.node.parentNode === body
          ? shell.node
          : (body.firstElementChild as HTMLElement | null)
        : null;
    // ReactWidget renders on attach, but React 18 would commit later, behind JupyterLab's
    // start-up work: the banner then appeared after the splash screen had gone and the
    // shell jumped down. Committing synchronously shows it with the first painted frame.
    flushSync(() => Widget.attach(widget, body, before));
    if (typeof ResizeObserver === 'undefined') {
      heights[position] = widget.node.getBoundingClientRect().height;
    } else {
      heights[position] = BANNER_HEIGHT;
      const observer = new ResizeObserver(onResize);
      observer.observe(widget.node);
      observers.push(observer);
    }
    if (position === 'bottom' && early) {
      // JupyterLab appends the shell to <body> after the plugins have started.
      void shellAttached?.then(() => {
        if (!disposed && shell.node.parentNode === body) {
          body.appendChild(widget.node);
        }
      });
    }
  });
  body.classList.add(WITH_NOTICE_CLASS);
  setHeights();
  if (!early) {
    shell.update();
  }
  return {
    get isDisposed() {
      return disposed;
    },
    dispose
  };
}
