import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { claimReview, getReviewQueue } from '../../api';
import { ReviewQueue } from '../reviewQueue';
import { click, render, review } from './helpers';

jest.mock('../../api', () => ({
  ...jest.requireActual('../../api'),
  claimReview: jest.fn(),
  getReviewQueue: jest.fn()
}));

const m = <T extends (...args: never[]) => unknown>(fn: T) =>
  fn as unknown as jest.MockedFunction<T>;

const trans = nullTranslator.load('jupyterlab-atrium');

beforeEach(() => jest.resetAllMocks());
afterEach(() => {
  document.body.innerHTML = '';
});

function items(c: HTMLElement) {
  return [...c.querySelectorAll('.jp-Atrium-GalleryQueue-item')].map(li => [
    li.getAttribute('data-id'),
    li.getAttribute('data-state')
  ]);
}

describe('ReviewQueue', () => {
  it('lists the work with who asked, and claims in place', async () => {
    m(getReviewQueue).mockResolvedValue({
      items: [
        review('a'),
        review('b', { status: 'claimed', claimedBy: 'rita' })
      ]
    });
    m(claimReview).mockResolvedValue(
      review('a', { status: 'claimed', claimedBy: 'rita' })
    );
    const onOpen = jest.fn();
    const view = await render(
      <ReviewQueue
        trans={trans}
        user="rita"
        kinds={['technical']}
        refreshKey={0}
        onOpen={onOpen}
      />
    );
    const c = view.container;
    expect(items(c)).toEqual([
      ['a', 'unclaimed'],
      ['b', 'mine']
    ]);
    const first = c.querySelector('[data-id="a"]')!;
    expect(first.textContent).toContain('Notebook a');
    expect(first.textContent).toContain('technical review');
    expect(first.textContent).toContain('requested by alice');
    // Only unclaimed rows offer Claim; every row offers Open.
    expect(c.querySelectorAll('.jp-Atrium-GalleryQueue-claim')).toHaveLength(1);
    await click(c.querySelector('.jp-Atrium-GalleryQueue-claim'));
    expect(claimReview).toHaveBeenCalledWith('a');
    expect(items(c)).toEqual([
      ['a', 'mine'],
      ['b', 'mine']
    ]);
    await click(c.querySelector('[data-id="b"] .jp-Atrium-GalleryQueue-open'));
    expect(onOpen).toHaveBeenCalledWith('nb-b');
  });

  it('says a refused claim and reads the queue again', async () => {
    m(getReviewQueue).mockResolvedValueOnce({ items: [review('a')] });
    m(getReviewQueue).mockResolvedValueOnce({ items: [] });
    const { AtriumRequestError } = jest.requireActual(
      '../../../common/request'
    );
    m(claimReview).mockRejectedValue(
      new AtriumRequestError(
        'This review is already claimed by ron.',
        409,
        'already-claimed'
      )
    );
    const view = await render(
      <ReviewQueue
        trans={trans}
        user="rita"
        kinds={['technical']}
        refreshKey={0}
        onOpen={() => 0}
      />
    );
    await click(view.container.querySelector('.jp-Atrium-GalleryQueue-claim'));
    expect(getReviewQueue).toHaveBeenCalledTimes(2);
    expect(
      view.container.querySelector('[role="alert"]')?.textContent
    ).toContain('already claimed by ron');
    expect(view.container.textContent).toContain(
      'No open reviews. Requests for technical reviews show here.'
    );
  });
});
