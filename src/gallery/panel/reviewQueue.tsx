import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { claimReview, getReviewQueue } from '../api';
import { IQueueRow, queueRows, replaceReview } from '../reviewQueue';
import type { IReview } from '../reviewTypes';
import { Badge, ErrorMessage, Loading, TimeText } from './common';

import '../../../style/gallery-reviews.css';

/*
 * The sidebar's Reviews tab, for reviewers: the open reviews of the kinds they review that
 * they may take, unclaimed first, with Claim and Open (the notebook's page at its Reviews
 * section, where they approve or ask for changes). The service decides; a refused claim
 * (someone was quicker) says so and the list is read again.
 */

export interface IReviewQueueProps {
  trans: TranslationBundle;
  user: string | null;
  /** The kinds the user reviews (from the policy), named in the empty list's text. */
  kinds: string[];
  /** Changes when the list should be read again (the panel shown, a page changed). */
  refreshKey: number;
  /** Opens a notebook's page at its Reviews section. */
  onOpen: (notebookId: string) => void;
}

function stateLabel(row: IQueueRow, trans: TranslationBundle): string {
  switch (row.state) {
    case 'asked-again':
      return trans.__('asked of you again');
    case 'unclaimed':
      return trans.__('unclaimed');
    case 'mine':
      return trans.__('claimed by you');
  }
}

function QueueRow(props: {
  row: IQueueRow;
  trans: TranslationBundle;
  onOpen: (notebookId: string) => void;
  onClaimed: (review: IReview) => void;
  /** A refused claim: said above the list, which is read again. */
  onRefused: (reason: unknown) => void;
}): JSX.Element {
  const { row, trans, onOpen, onClaimed, onRefused } = props;
  const { review } = row;
  const [busy, setBusy] = React.useState(false);
  const claim = () => {
    setBusy(true);
    claimReview(review.id)
      .then(onClaimed, onRefused)
      .finally(() => setBusy(false));
  };
  return (
    <li
      className="jp-Atrium-Gallery-request jp-Atrium-GalleryQueue-item"
      data-id={review.id}
      data-state={row.state}
      data-kind={review.kind}
    >
      <div className="jp-Atrium-Gallery-requestHead">
        <button
          type="button"
          className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-requestTitle"
          title={trans.__('Show the reviews of "%1"', review.notebookTitle)}
          onClick={() => onOpen(review.notebookId)}
        >
          {review.notebookTitle}
        </button>
        <Badge kind={`queue-${row.state}`} label={stateLabel(row, trans)} />
      </div>
      <div className="jp-Atrium-Gallery-meta">
        <span className="jp-Atrium-GalleryQueue-kind">
          {trans.__('%1 review', review.kind)}
        </span>
        <span>{trans.__('requested by %1', review.requestedBy)}</span>
        <TimeText value={review.requestedAt} />
        <span>{trans.__('version %1', review.version)}</span>
      </div>
      <div className="jp-Atrium-Gallery-actions">
        {row.canClaim && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept jp-Atrium-GalleryQueue-claim"
            aria-label={trans.__(
              'Claim the %1 review of "%2"',
              review.kind,
              review.notebookTitle
            )}
            disabled={busy}
            onClick={claim}
          >
            {trans.__('Claim')}
          </button>
        )}
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject jp-Atrium-GalleryQueue-open"
          aria-label={trans.__(
            'Open the %1 review of "%2"',
            review.kind,
            review.notebookTitle
          )}
          onClick={() => onOpen(review.notebookId)}
        >
          {trans.__('Open')}
        </button>
      </div>
    </li>
  );
}

export function ReviewQueue(props: IReviewQueueProps): JSX.Element {
  const { trans, user, kinds, refreshKey, onOpen } = props;
  const [items, setItems] = React.useState<IReview[] | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [claimError, setClaimError] = React.useState<unknown>(null);
  const [reload, setReload] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    getReviewQueue()
      .then(queue => {
        if (live) {
          setItems(queue.items);
          setError(null);
        }
      })
      .catch(reason => live && setError(reason));
    return () => {
      live = false;
    };
  }, [refreshKey, reload]);
  const rows = items === null ? [] : queueRows(items, user);
  return (
    <section
      className="jp-Atrium-GalleryQueue"
      aria-labelledby="jp-Atrium-GalleryQueue-heading"
    >
      <h3
        id="jp-Atrium-GalleryQueue-heading"
        className="jp-Atrium-GalleryInbox-heading"
      >
        {trans.__('Reviews to do')}
      </h3>
      {error !== null && (
        <ErrorMessage
          error={error}
          trans={trans}
          onRetry={() => setReload(n => n + 1)}
        />
      )}
      {claimError !== null && <ErrorMessage error={claimError} trans={trans} />}
      {items === null && error === null && (
        <Loading text={trans.__('Loading the review queue…')} />
      )}
      {items !== null && rows.length === 0 && (
        <p className="jp-Atrium-GalleryInbox-empty">
          {trans.__(
            'No open reviews. Requests for %1 reviews show here.',
            kinds.join(', ')
          )}
        </p>
      )}
      {rows.length > 0 && (
        <ul className="jp-Atrium-Gallery-requestList jp-Atrium-GalleryQueue-list">
          {rows.map(row => (
            <QueueRow
              key={row.review.id}
              row={row}
              trans={trans}
              onOpen={onOpen}
              onClaimed={claimed => {
                setClaimError(null);
                setItems(list => (list ? replaceReview(list, claimed) : list));
              }}
              onRefused={reason => {
                setClaimError(reason);
                setReload(n => n + 1);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
