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
  act: (step: () => Promise<unknown>) => void;
}): JSX.Element {
  const { notebookId, kind, reviews, data, policy, trans, busy, act } = props;
  const [comment, setComment] = React.useState('');
  const review = reviewOfKind(reviews, kind);
  const step = nextStep(review, policy?.user ?? null, policy, data.canRequest);
  const headingId = `jp-Atrium-GalleryReviews-${kind}`;
  const decide = (decision: ReviewDecision) =>
    review &&
    act(() =>
      decideReview(review.id, decision, review.contentHash, comment).then(() =>
        setComment('')
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
  const { trans, summary, onChanged } = props;
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
    (step: () => Promise<unknown>) => {
      setBusy(true);
      step()
        .then(() => {
          setError(null);
          onChanged();
        })
        .catch(reason => setError(reason))
        .finally(() => {
          setBusy(false);
          setReload(n => n + 1);
        });
    },
    [onChanged]
  );

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
