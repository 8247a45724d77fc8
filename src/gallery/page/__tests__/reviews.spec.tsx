import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import {
  claimReview,
  decideReview,
  getPolicy,
  getReviews,
  requestReview,
  searchParams
} from '../../api';
import {
  click,
  flush,
  policy,
  render,
  review as listedReview,
  summary,
  type
} from '../../panel/__tests__/helpers';
import { INITIAL_SEARCH, searchQuery } from '../../panel/query';
import type { INotebookReviews, IReview } from '../../reviewTypes';
import {
  resetReviewPolicy,
  VerifiedBadge,
  VerifiedOnlyFilter
} from '../../verified';
import {
  nextStep,
  ReviewDecided,
  reviewOfKind,
  ReviewsSection
} from '../reviews';

jest.mock('../../api', () => ({
  ...jest.requireActual('../../api'),
  claimReview: jest.fn(),
  decideReview: jest.fn(),
  getPolicy: jest.fn(),
  getReviews: jest.fn(),
  requestReview: jest.fn()
}));

const m = <T extends (...args: never[]) => unknown>(fn: T) =>
  fn as unknown as jest.MockedFunction<T>;

const trans = nullTranslator.load('jupyterlab-atrium');

/** The page's one review: of version 3 of "Sales report", as asked for by alice. */
function review(change: Partial<IReview> = {}): IReview {
  return listedReview('r1', {
    notebookId: 'nb1',
    notebookTitle: 'Sales report',
    version: 3,
    history: [
      {
        action: 'requested',
        by: 'alice',
        at: '2026-01-02T00:00:00Z',
        version: 3,
        comment: ''
      }
    ],
    ...change
  });
}

function reviews(change: Partial<INotebookReviews> = {}): INotebookReviews {
  return {
    kinds: ['technical'],
    verified: false,
    canRequest: false,
    contentHash: 'hash',
    items: [],
    ...change
  };
}

function withReviews(user = 'alice', reviewerOf: string[] = []) {
  m(getPolicy).mockResolvedValue({
    ...policy(),
    user,
    reviewKinds: { technical: ['tech'] },
    reviewerOf
  });
}

beforeEach(() => {
  jest.resetAllMocks();
  resetReviewPolicy();
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('review steps', () => {
  it('offers each user the step that is theirs', () => {
    const p = { ...policy(), user: 'rita', reviewerOf: ['technical'] };
    expect(nextStep(undefined, 'alice', policy(), true)).toBe('request');
    expect(nextStep(undefined, 'bob', policy(), false)).toBeNull();
    expect(nextStep(review(), 'rita', p, false)).toBe('claim');
    // The owner is no reviewer of her own notebook.
    expect(nextStep(review(), 'alice', { ...p, user: 'alice' }, true)).toBe(
      null
    );
    const claimed = review({ status: 'claimed', claimedBy: 'rita' });
    expect(nextStep(claimed, 'rita', p, false)).toBe('decide');
    expect(nextStep(claimed, 'ron', { ...p, user: 'ron' }, false)).toBeNull();
    // Approved for this content: nothing to do; for earlier content: ask again.
    const approved = review({ status: 'approved', claimedBy: 'rita' });
    expect(nextStep(approved, 'alice', policy(), true)).toBeNull();
    expect(
      nextStep({ ...approved, current: false }, 'alice', policy(), true)
    ).toBe('request');
    expect(
      nextStep(review({ status: 'changes-requested' }), 'alice', policy(), true)
    ).toBe('request');
  });

  it("takes a kind's open review before its older decisions", () => {
    const old = review({ id: 'old', status: 'approved', current: false });
    const open = review({ id: 'open' });
    expect(reviewOfKind([open, old], 'technical')?.id).toBe('open');
    expect(reviewOfKind([old], 'technical')?.id).toBe('old');
    expect(reviewOfKind([old], 'compliance')).toBeUndefined();
  });
});

describe('verified badge and filter', () => {
  it('says verified in text, not only in colour', async () => {
    const view = await render(<VerifiedBadge verified={true} trans={trans} />);
    const badge = view.container.querySelector('.jp-Atrium-Gallery-verified');
    expect(badge?.textContent).toContain('Verified');
    expect(badge?.getAttribute('title')).toContain('approved');
    view.unmount();
    const none = await render(<VerifiedBadge verified={false} trans={trans} />);
    expect(none.container.innerHTML).toBe('');
  });

  it('shows "Verified only" when the gallery has reviews, and asks for it', async () => {
    m(getPolicy).mockResolvedValue(policy());
    const off = await render(
      <VerifiedOnlyFilter checked={false} onChange={() => 0} trans={trans} />
    );
    expect(off.container.textContent).toBe('');
    off.unmount();
    resetReviewPolicy();
    withReviews();
    const onChange = jest.fn();
    const on = await render(
      <VerifiedOnlyFilter checked={false} onChange={onChange} trans={trans} />
    );
    expect(on.container.textContent).toBe('Verified only');
    await click(on.container.querySelector('input'));
    expect(onChange).toHaveBeenCalledWith(true);
    const query = searchQuery({ ...INITIAL_SEARCH, verified: true }, 20);
    expect(searchParams(query)).toContain('verified=1');
    expect(searchParams(searchQuery(INITIAL_SEARCH, 20))).not.toContain(
      'verified'
    );
  });
});

describe('ReviewsSection', () => {
  it('asks nothing and shows nothing when reviews are off', async () => {
    m(getPolicy).mockResolvedValue(policy());
    const view = await render(
      <ReviewsSection trans={trans} summary={summary()} onChanged={() => 0} />
    );
    expect(view.container.innerHTML).toBe('');
    expect(getReviews).not.toHaveBeenCalled();
  });

  it('lets the owner request a review with a note', async () => {
    withReviews('alice');
    m(getReviews).mockResolvedValue(reviews({ canRequest: true }));
    m(requestReview).mockResolvedValue(review());
    const onChanged = jest.fn();
    const view = await render(
      <ReviewsSection trans={trans} summary={summary()} onChanged={onChanged} />
    );
    const c = view.container;
    expect(
      c.querySelector('.jp-Atrium-GalleryReviews-state')?.textContent
    ).toBe('not reviewed');
    await type(c.querySelector('textarea'), 'check the joins');
    m(getReviews).mockResolvedValue(reviews({ items: [review()] }));
    await click(
      [...c.querySelectorAll('button')].find(
        b => b.textContent === 'Request technical review'
      )
    );
    expect(requestReview).toHaveBeenCalledWith(
      'nb1',
      'technical',
      'check the joins'
    );
    expect(onChanged).toHaveBeenCalled();
    await flush();
    expect(
      c.querySelector('.jp-Atrium-GalleryReviews-state')?.textContent
    ).toBe('requested, waiting for a reviewer');
    expect(
      c.querySelector('.jp-Atrium-GalleryReviews-history')?.textContent
    ).toContain('alice requested the review (version 3)');
  });

  it('lets a reviewer claim, then approve or ask for changes with a comment', async () => {
    withReviews('rita', ['technical']);
    m(getReviews).mockResolvedValue(reviews({ items: [review()] }));
    m(claimReview).mockResolvedValue(review());
    const view = await render(
      <ReviewsSection trans={trans} summary={summary()} onChanged={() => 0} />
    );
    const c = view.container;
    const button = (text: string) =>
      [...c.querySelectorAll('button')].find(b => b.textContent === text);
    m(getReviews).mockResolvedValue(
      reviews({ items: [review({ status: 'claimed', claimedBy: 'rita' })] })
    );
    await click(button('Claim technical review'));
    expect(claimReview).toHaveBeenCalledWith('r1');
    await flush();
    // Asking for changes needs a comment.
    expect(button('Ask for changes')?.hasAttribute('disabled')).toBe(true);
    await type(c.querySelector('textarea'), 'looks right');
    m(decideReview).mockResolvedValue(review({ status: 'approved' }));
    m(getReviews).mockResolvedValue(
      reviews({
        verified: true,
        items: [review({ status: 'approved', claimedBy: 'rita' })]
      })
    );
    await click(button('Approve'));
    expect(decideReview).toHaveBeenCalledWith(
      'r1',
      'approve',
      'hash',
      'looks right'
    );
    await flush();
    expect(
      c.querySelector('.jp-Atrium-Gallery-verified')?.textContent
    ).toContain('Verified');
    expect(
      c.querySelector('.jp-Atrium-GalleryReviews-state')?.textContent
    ).toBe('approved by rita');
  });

  it("shows the service's refusal", async () => {
    withReviews('rita', ['technical']);
    m(getReviews).mockResolvedValue(reviews({ items: [review()] }));
    const { AtriumRequestError } = jest.requireActual(
      '../../../common/request'
    );
    m(claimReview).mockRejectedValue(
      new AtriumRequestError(
        'Someone else must review it.',
        403,
        'own-notebook'
      )
    );
    const view = await render(
      <ReviewsSection trans={trans} summary={summary()} onChanged={() => 0} />
    );
    await click(
      [...view.container.querySelectorAll('button')].find(
        b => b.textContent === 'Claim technical review'
      )
    );
    expect(
      view.container.querySelector('[role="alert"]')?.textContent
    ).toContain('Someone else must review it.');
  });

  it("hands a decision that ended the reviewer's access to the page, reading nothing again", async () => {
    withReviews('rita', ['technical']);
    m(getReviews).mockResolvedValue(
      reviews({ items: [review({ status: 'claimed', claimedBy: 'rita' })] })
    );
    const decided = review({
      status: 'approved',
      claimedBy: 'rita',
      decidedAt: '2026-01-03T00:00:00Z',
      readable: false
    });
    m(decideReview).mockResolvedValue(decided);
    const onChanged = jest.fn();
    const onAccessEnded = jest.fn();
    const view = await render(
      <ReviewsSection
        trans={trans}
        summary={summary()}
        onChanged={onChanged}
        onAccessEnded={onAccessEnded}
      />
    );
    const calls = m(getReviews).mock.calls.length;
    await click(
      [...view.container.querySelectorAll('button')].find(
        b => b.textContent === 'Approve'
      )
    );
    await flush();
    expect(onAccessEnded).toHaveBeenCalledWith(decided);
    expect(onChanged).not.toHaveBeenCalled();
    expect(m(getReviews).mock.calls.length).toBe(calls);
  });

  it('scrolls to and focuses the section when the page is opened at it', async () => {
    withReviews('rita', ['technical']);
    m(getReviews).mockResolvedValue(reviews({ items: [review()] }));
    const scroll = jest.fn();
    Element.prototype.scrollIntoView = scroll;
    const view = await render(
      <ReviewsSection
        trans={trans}
        summary={summary()}
        onChanged={() => 0}
        reveal={1}
      />
    );
    await flush();
    const heading = view.container.querySelector('h3');
    expect(scroll).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(heading);
  });
});

describe('ReviewDecided', () => {
  it('shows the recorded decision and says the access ended', async () => {
    const onClose = jest.fn();
    const view = await render(
      <ReviewDecided
        review={review({
          status: 'changes-requested',
          claimedBy: 'rita',
          comment: 'name the source',
          decidedAt: '2026-01-03T00:00:00Z'
        })}
        summary={{ ...summary(), visibility: 'private' }}
        trans={trans}
        onClose={onClose}
      />
    );
    const text = view.container.textContent ?? '';
    expect(text).toContain(
      'You asked for changes to version 3 of "Sales report" (technical review)'
    );
    expect(text).toContain('Your comment: “name the source”');
    expect(text).toContain(
      'This notebook is private: you could read it as its reviewer, and your access ended with your decision.'
    );
    expect(text).not.toMatch(/not found/i);
    await click(view.container.querySelector('button'));
    expect(onClose).toHaveBeenCalled();
  });
});
