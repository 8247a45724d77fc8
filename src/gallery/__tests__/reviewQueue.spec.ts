import { queueRows, replaceReview, unclaimedCount } from '../reviewQueue';
import { review } from '../panel/__tests__/helpers';

describe('the review queue', () => {
  it('lists unclaimed reviews first (asked again first, oldest first), then mine', () => {
    const items = [
      review('mine', {
        status: 'claimed',
        claimedBy: 'rita',
        requestedAt: '2026-01-01T00:00:00Z'
      }),
      review('newer', { requestedAt: '2026-01-05T00:00:00Z' }),
      review('older', { requestedAt: '2026-01-03T00:00:00Z' }),
      review('again', {
        requestedFrom: 'rita',
        requestedAt: '2026-01-06T00:00:00Z'
      }),
      review('ron-again', {
        requestedFrom: 'ron',
        requestedAt: '2026-01-04T00:00:00Z'
      })
    ];
    const rows = queueRows(items, 'rita');
    expect(rows.map(r => [r.review.id, r.state, r.canClaim])).toEqual([
      ['again', 'asked-again', true],
      ['older', 'unclaimed', true],
      ['ron-again', 'unclaimed', true],
      ['newer', 'unclaimed', true],
      ['mine', 'mine', false]
    ]);
    expect(unclaimedCount(rows)).toBe(4);
  });

  it("leaves out what is not the reviewer's to take", () => {
    const items = [
      review('theirs', { status: 'claimed', claimedBy: 'ron' }),
      review('approved', { status: 'approved', claimedBy: 'rita' }),
      review('changes', { status: 'changes-requested', claimedBy: 'rita' }),
      review('open')
    ];
    expect(queueRows(items, 'rita').map(r => r.review.id)).toEqual(['open']);
    // Before the user is known nothing is "mine" or "asked of me".
    expect(
      queueRows([review('c', { status: 'claimed', claimedBy: 'rita' })], null)
    ).toEqual([]);
  });

  it('moves a claimed review to the end in place', () => {
    const items = [review('a'), review('b')];
    const claimed = review('a', { status: 'claimed', claimedBy: 'rita' });
    const next = replaceReview(items, claimed);
    expect(next[0]).toBe(claimed);
    expect(items[0].status).toBe('requested'); // not mutated
    expect(queueRows(next, 'rita').map(r => r.review.id)).toEqual(['b', 'a']);
  });
});
