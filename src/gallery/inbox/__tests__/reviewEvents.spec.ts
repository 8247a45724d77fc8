import { nullTranslator } from '@jupyterlab/translation';

import { sectionOf } from '../../page/args';
import type { IInboxEvent } from '../../sharingTypes';
import { describeEvent, eventSection } from '../logic';
import { REVIEW_EVENT_KINDS, registerReviewEvents } from '../reviewEvents';

const trans = nullTranslator.load('jupyterlab-atrium');

function event(kind: string, change: Partial<IInboxEvent> = {}): IInboxEvent {
  return {
    id: 7,
    kind,
    actor: 'alice',
    via: { kind: 'user', name: 'rita' },
    detail: { reviewId: 'r1', reviewKind: 'technical', version: 2 },
    createdAt: '2026-01-02T00:00:00Z',
    notebookId: 'nb1',
    notebookTitle: 'Ward census',
    read: false,
    ...change
  };
}

beforeAll(() => registerReviewEvents());

describe('review events in the inbox', () => {
  it('says each step in a sentence', () => {
    expect(
      describeEvent(
        event('review-requested', {
          via: { kind: 'group', name: 'tech' },
          detail: {
            reviewId: 'r1',
            reviewKind: 'technical',
            version: 1,
            comment: 'check the joins'
          }
        }),
        trans
      )
    ).toBe(
      'alice asks your group tech for a technical review of "Ward census": “check the joins”'
    );
    expect(describeEvent(event('review-requested'), trans)).toBe(
      'alice asks you for a technical review of "Ward census"'
    );
    expect(
      describeEvent(event('review-claimed', { actor: 'rita' }), trans)
    ).toBe('rita is reviewing "Ward census" (technical)');
    expect(
      describeEvent(
        event('review-approved', {
          actor: 'rita',
          detail: { reviewKind: 'technical', version: 2, comment: 'fine' }
        }),
        trans
      )
    ).toBe('rita approved version 2 of "Ward census" (technical): “fine”');
    expect(
      describeEvent(
        event('review-changes-requested', {
          actor: 'rita',
          detail: { reviewKind: 'technical', version: 2, comment: 'name it' }
        }),
        trans
      )
    ).toBe(
      'rita asks for changes to version 2 of "Ward census" (technical): “name it”'
    );
    expect(
      describeEvent(
        event('review-re-requested', {
          detail: {
            reviewKind: 'technical',
            version: 3,
            previousVersion: 2,
            previousStatus: 'approved'
          }
        }),
        trans
      )
    ).toBe(
      'alice published version 3 of "Ward census": please review it again (technical; you approved version 2)'
    );
  });

  it('survives a detail it does not expect', () => {
    const odd = event('review-approved', {
      detail: { reviewKind: ['x'], version: null, comment: 5 }
    });
    expect(describeEvent(odd, trans)).toBe(
      'alice approved version  of "Ward census" ()'
    );
  });

  it('opens review events at the Reviews section, shares at the top', () => {
    for (const kind of REVIEW_EVENT_KINDS) {
      expect(eventSection(event(kind))).toBe('reviews');
    }
    expect(eventSection(event('share'))).toBeUndefined();
    expect(eventSection(event('something-new'))).toBeUndefined();
    // What the open command accepts.
    expect(sectionOf({ id: 'nb1', section: 'reviews' })).toBe('reviews');
    expect(sectionOf({ id: 'nb1', section: 'other' })).toBeNull();
    expect(sectionOf({ id: 'nb1' })).toBeNull();
  });
});
