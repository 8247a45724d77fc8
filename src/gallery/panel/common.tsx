import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { AtriumRequestError, describeError } from '../../common/request';

/**
 * Whether an error means the gallery service could not be reached at all (as opposed to a
 * refusal of this one request).
 */
export function isServiceDown(error: unknown): boolean {
  return (
    error instanceof AtriumRequestError &&
    (error.reason === 'network-error' ||
      error.reason === 'not-installed' ||
      error.status === 0 ||
      error.status === 502 ||
      error.status === 503 ||
      error.status === 504)
  );
}

/**
 * A sentence about a failed gallery call.
 */
export function errorText(error: unknown, trans: TranslationBundle): string {
  if (isServiceDown(error)) {
    const detail = describeError(error, trans);
    return trans.__('The gallery service is not reachable. %1', detail);
  }
  return describeError(error, trans);
}

export interface IErrorMessageProps {
  error: unknown;
  trans: TranslationBundle;
  onRetry?: () => void;
}

/**
 * An error, announced to screen readers, with a retry button when the call can be retried.
 */
export function ErrorMessage(props: IErrorMessageProps): JSX.Element {
  const { error, trans, onRetry } = props;
  return (
    <div className="jp-Atrium-Gallery-error" role="alert">
      <span className="jp-Atrium-Gallery-errorText">
        {errorText(error, trans)}
      </span>
      {onRetry && (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject jp-Atrium-Gallery-retry"
          onClick={onRetry}
        >
          {trans.__('Retry')}
        </button>
      )}
    </div>
  );
}

/**
 * A loading line (polite live region).
 */
export function Loading(props: { text: string }): JSX.Element {
  return (
    <div className="jp-Atrium-Gallery-loading" role="status" aria-live="polite">
      {props.text}
    </div>
  );
}

/**
 * A time as "3 hours ago", with the full date in the tooltip and in `dateTime`.
 */
export function TimeText(props: {
  value: string;
  className?: string;
}): JSX.Element {
  const { value, className } = props;
  const date = new Date(value);
  if (isNaN(date.getTime())) {
    return <span className={className}>{value}</span>;
  }
  return (
    <time
      className={className}
      dateTime={date.toISOString()}
      title={Time.format(date)}
    >
      {Time.formatHuman(date)}
    </time>
  );
}

/**
 * Small label; the text is React text, never markup.
 */
export function Badge(props: {
  kind: string;
  label: string;
  title?: string;
}): JSX.Element {
  return (
    <span
      className={`jp-Atrium-Gallery-badge jp-Atrium-Gallery-badge-${props.kind}`}
      title={props.title}
    >
      {props.label}
    </span>
  );
}

export interface IStarButtonProps {
  stars: number;
  starred: boolean;
  busy: boolean;
  title: string;
  trans: TranslationBundle;
  onToggle: () => void;
  /** -1 inside a list that is one Tab stop (the list's arrow keys reach the item). */
  tabIndex?: number;
}

/**
 * A star toggle button (aria-pressed) with the number of stars.
 */
export function StarButton(props: IStarButtonProps): JSX.Element {
  const { stars, starred, busy, title, trans, onToggle, tabIndex } = props;
  const label = starred
    ? trans.__('Unstar "%1" (%2 stars)', title, stars)
    : trans.__('Star "%1" (%2 stars)', title, stars);
  return (
    <button
      type="button"
      className={`jp-Atrium-Gallery-star${starred ? ' jp-mod-starred' : ''}`}
      aria-pressed={starred}
      aria-label={label}
      title={label}
      disabled={busy}
      tabIndex={tabIndex}
      onClick={onToggle}
    >
      <span aria-hidden="true">{starred ? '★' : '☆'}</span>
      <span className="jp-Atrium-Gallery-starCount">{stars}</span>
    </button>
  );
}
