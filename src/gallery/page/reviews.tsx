import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { claimReview, decideReview, getReviews, requestReview } from '../api';
import { ErrorMessage, TimeText } from '../panel/common';
import type {
  INotebookReviews,
  IReview,
  IReviewStep,
  ReviewDecision
} from '../reviewTypes';
import type { IGalleryPolicy, INotebookSummary } from '../types';
import { reviewsEnabled, useReviewPolicy, VerifiedBadge } from '../verified';

/*
 * The Reviews section of a notebook's page: per review kind, where the current content
 * stands, the step the user can take (request, claim, approve or ask for changes with a
 * comment) and the history of every step with who and when. The service decides who may
 * do what; the buttons only follow it.
 */

export interface IReviewsSectionProps {
  trans: TranslationBundle;
  /** The notebook's summary as the page holds it (null until loaded). */
  summary: INotebookSummary | null;
  /** A step was taken: the page reads the summary again (its badge). */
  onChanged: () => void;
  /**
   * The user decided a review of a notebook they could read only as its reviewer: their
   * access ended, the page shows `review` (the decision) instead of reading it again.
   */
  onAccessEnded?: (review: IReview) => void;
  /** Grows when the page is asked to show this section (an inbox event, the queue). */
  reveal?: number;
}

/**
 * The review a kind's row is about: its open review, else its newest one.
 */
export function reviewOfKind(
  reviews: IReview[],
  kind: string
): IReview | undefined {
  const ofKind = reviews.filter(r => r.kind === kind);
  return (
    ofKind.find(r => r.status === 'requested' || r.status === 'claimed') ??
    ofKind[0]
  );
}

/**
 * What `user` may do with a kind's review now (the service checks again).
 */
export function nextStep(
  review: IReview | undefined,
  user: string | null,
  policy: IGalleryPolicy | null,
  canRequest: boolean
): 'request' | 'claim' | 'decide' | null {
  const approved = review?.status === 'approved' && review.current;
  const open = review?.status === 'requested' || review?.status === 'claimed';
  if (!review || (!open && !approved)) {
    return canRequest ? 'request' : null;
  }
  const reviewer = policy?.reviewerOf?.includes(review.kind) ?? false;
  if (review.status === 'requested' && reviewer && !canRequest) {
    return 'claim';
  }
  if (review.status === 'claimed' && review.claimedBy === user) {
    return 'decide';
  }
  return null;
}

function stateText(
  review: IReview | undefined,
  trans: TranslationBundle
): string {
  if (!review) {
    return trans.__('not reviewed');
  }
  if (!review.current && review.status !== 'requested') {
    return trans.__('reviewed an earlier version');
  }
  switch (review.status) {
    case 'requested':
      return review.requestedFrom
        ? trans.__('requested again from %1', review.requestedFrom)
        : trans.__('requested, waiting for a reviewer');
    case 'claimed':
      return trans.__('being reviewed by %1', review.claimedBy ?? '');
    case 'approved':
      return trans.__('approved by %1', review.claimedBy ?? '');
    case 'changes-requested':
      return trans.__('changes requested by %1', review.claimedBy ?? '');
  }
}

function actionText(step: IReviewStep, trans: TranslationBundle): string {
  switch (step.action) {
    case 'requested':
      return trans.__(
        '%1 requested the review (version %2)',
        step.by,
        step.version
      );
    case 're-requested':
      return trans.__('version %1 asked for the review again', step.version);
    case 'claimed':
      return trans.__('%1 claimed it', step.by);
    case 'approved':
      return trans.__('%1 approved version %2', step.by, step.version);
    case 'changes-requested':
      return trans.__(
        '%1 asked for changes to version %2',
        step.by,
        step.version
      );
    case 'content-changed':
      return trans.__('%1 published version %2', step.by, step.version);
  }
}

function History(props: {
  reviews: IReview[];
  trans: TranslationBundle;
}): JSX.Element | null {
  const { reviews, trans } = props;
  const steps = reviews
    .flatMap(review => review.history)
    .sort((a, b) => b.at.localeCompare(a.at));
  if (steps.length === 0) {
    return null;
  }
  return (
    <ol className="jp-Atrium-GalleryReviews-history" reversed>
      {steps.map((step, index) => (
        <li key={index}>
          <TimeText value={step.at} /> — {actionText(step, trans)}
          {step.comment ? `: “${step.comment}”` : ''}
        </li>
      ))}
    </ol>
  );
}

function KindRow(props: {
  notebookId: string;
  kind: string;
  reviews: IReview[];
  data: INotebookReviews;
  policy: IGalleryPolicy | null;
  trans: TranslationBundle;
  busy: boolean;
  act: (step: () => Promise<IReview | void>) => void;
}): JSX.Element {
  const { notebookId, kind, reviews, data, policy, trans, busy, act } = props;
  const [comment, setComment] = React.useState('');
  const review = reviewOfKind(reviews, kind);
  const step = nextStep(review, policy?.user ?? null, policy, data.canRequest);
  const headingId = `jp-Atrium-GalleryReviews-${kind}`;
  const decide = (decision: ReviewDecision) =>
    review &&
    act(() =>
      decideReview(review.id, decision, review.contentHash, comment).then(
        decided => {
          setComment('');
          return decided;
        }
      )
    );
  return (
    <li
      className="jp-Atrium-GalleryReviews-kind"
      data-kind={kind}
      aria-labelledby={headingId}
    >
      <div className="jp-Atrium-GalleryReviews-kindHead">
        <span id={headingId} className="jp-Atrium-GalleryReviews-kindName">
          {kind}
        </span>
        <span
          className="jp-Atrium-GalleryReviews-state"
          data-status={review?.current ? review.status : 'none'}
        >
          {stateText(review, trans)}
        </span>
      </div>
      {step !== null && step !== 'claim' && (
        <textarea
          className="jp-Atrium-GalleryReviews-comment jp-mod-styled"
          aria-label={
            step === 'decide'
              ? trans.__('Review comment (%1)', kind)
              : trans.__('Note for the reviewers (%1)', kind)
          }
          value={comment}
          maxLength={5000}
          onChange={event => setComment(event.target.value)}
        />
      )}
      <div className="jp-Atrium-GalleryReviews-actions">
        {step === 'request' && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept"
            disabled={busy}
            onClick={() =>
              act(() =>
                requestReview(notebookId, kind, comment).then(() =>
                  setComment('')
                )
              )
            }
          >
            {trans.__('Request %1 review', kind)}
          </button>
        )}
        {step === 'claim' && review && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept"
            disabled={busy}
            onClick={() => act(() => claimReview(review.id))}
          >
            {trans.__('Claim %1 review', kind)}
          </button>
        )}
        {step === 'decide' && (
          <>
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept"
              disabled={busy}
              onClick={() => decide('approve')}
            >
              {trans.__('Approve')}
            </button>
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-warn"
              disabled={busy || comment.trim() === ''}
              title={trans.__('Say in the comment what should change')}
              onClick={() => decide('request-changes')}
            >
              {trans.__('Ask for changes')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/**
 * The Reviews section; nothing when the gallery has no review kinds.
 */
export function ReviewsSection(
  props: IReviewsSectionProps
): JSX.Element | null {
  const { trans, summary, onChanged, onAccessEnded, reveal = 0 } = props;
  const policy = useReviewPolicy();
  // Without review kinds there is nothing to ask the service (and nothing shown).
  const enabled = reviewsEnabled(policy);
  const [data, setData] = React.useState<INotebookReviews | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [loadError, setLoadError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState(false);
  const [reload, setReload] = React.useState(0);
  const id = summary?.id ?? null;
  // Read again when the content or the notebook's state changed (a new version re-asks).
  const stamp = summary ? `${summary.contentHash}/${summary.updatedAt}` : '';
  React.useEffect(() => {
    if (id === null || !enabled) {
      return;
    }
    let live = true;
    getReviews(id)
      .then(found => {
        // A refused step's message stays while the reviews are read again.
        if (live) {
          setData(found);
          setLoadError(null);
        }
      })
      .catch(reason => live && setLoadError(reason));
    return () => {
      live = false;
    };
  }, [id, enabled, stamp, reload]);

  const act = React.useCallback(
    (step: () => Promise<IReview | void>) => {
      setBusy(true);
      step()
        .then(result => {
          if (result && result.readable === false && onAccessEnded) {
            // Nothing is read again: the notebook is no longer this reviewer's to read.
            onAccessEnded(result);
            return;
          }
          setError(null);
          setBusy(false);
          setReload(n => n + 1);
          onChanged();
        })
        .catch(reason => {
          setError(reason);
          setBusy(false);
          setReload(n => n + 1);
        });
    },
    [onChanged, onAccessEnded]
  );

  // Asked to show this section: once its reviews are there, scroll to it and focus it.
  const heading = React.useRef<HTMLHeadingElement>(null);
  const revealed = React.useRef(0);
  const loaded = data !== null;
  React.useEffect(() => {
    if (reveal > revealed.current && loaded && heading.current) {
      revealed.current = reveal;
      heading.current.scrollIntoView({ block: 'start' });
      heading.current.focus();
    }
  }, [reveal, loaded]);

  if (id === null || !enabled || (data !== null && data.kinds.length === 0)) {
    return null;
  }
  return (
    <section
      className="jp-Atrium-GalleryReviews"
      aria-labelledby="jp-Atrium-GalleryReviews-title"
    >
      <h3
        className="jp-Atrium-GalleryReviews-heading"
        id="jp-Atrium-GalleryReviews-title"
        ref={heading}
        tabIndex={-1}
      >
        {trans.__('Reviews')}
        {data && <VerifiedBadge verified={data.verified} trans={trans} />}
      </h3>
      {(error ?? loadError) !== null && (
        <ErrorMessage
          error={error ?? loadError}
          trans={trans}
          onRetry={() => setReload(n => n + 1)}
        />
      )}
      {data && (
        <>
          <ul className="jp-Atrium-GalleryReviews-kinds">
            {data.kinds.map(kind => (
              <KindRow
                key={kind}
                notebookId={id}
                kind={kind}
                reviews={data.items}
                data={data}
                policy={policy}
                trans={trans}
                busy={busy}
                act={act}
              />
            ))}
          </ul>
          <History reviews={data.items} trans={trans} />
        </>
      )}
    </section>
  );
}

/**
 * What a reviewer sees after deciding a review of a notebook they could read only as its
 * reviewer (a private notebook, or one not shared with them): their decision as recorded,
 * and that their access ended with it. Careful institutions lend access for the review
 * only (docs/admin.md, "Trust").
 */
export function ReviewDecided(props: {
  review: IReview;
  summary: INotebookSummary | null;
  trans: TranslationBundle;
  onClose: () => void;
}): JSX.Element {
  const { review, summary, trans, onClose } = props;
  const close = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => close.current?.focus(), []);
  return (
    <section
      className="jp-Atrium-GalleryReviews jp-Atrium-GalleryReviews-ended"
      aria-labelledby="jp-Atrium-GalleryReviews-ended-title"
      role="status"
    >
      <h3
        className="jp-Atrium-GalleryReviews-heading"
        id="jp-Atrium-GalleryReviews-ended-title"
      >
        {review.status === 'approved'
          ? trans.__(
              'You approved version %1 of "%2" (%3 review)',
              review.version,
              review.notebookTitle,
              review.kind
            )
          : trans.__(
              'You asked for changes to version %1 of "%2" (%3 review)',
              review.version,
              review.notebookTitle,
              review.kind
            )}
      </h3>
      {review.comment && (
        <p className="jp-Atrium-GalleryReviews-endedComment">
          {trans.__('Your comment: “%1”', review.comment)}
        </p>
      )}
      <p className="jp-Atrium-GalleryReviews-endedNote">
        {summary?.visibility === 'private'
          ? trans.__(
              'This notebook is private: you could read it as its reviewer, and your access ended with your decision.'
            )
          : trans.__(
              'This notebook is not shared with you: you could read it as its reviewer, and your access ended with your decision.'
            )}{' '}
        {trans.__(
          'Your decision is recorded and the owner has been told. If a new version asks you to review it again, you can read it again from your Inbox or review queue.'
        )}
      </p>
      {review.decidedAt && (
        <p className="jp-Atrium-Gallery-meta">
          {trans.__('Recorded')} <TimeText value={review.decidedAt} />
        </p>
      )}
      <button
        type="button"
        ref={close}
        className="jp-Button jp-mod-styled jp-mod-reject"
        onClick={onClose}
      >
        {trans.__('Close this page')}
      </button>
    </section>
  );
}
