import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { getInbox } from '../api';
import { ErrorMessage, TimeText } from '../panel/common';
import type { IInboxEvent } from '../sharingTypes';
import type { PageSection } from '../page/args';
import { describeEvent, eventSection } from './logic';
import { currentInbox, InboxModel } from './model';
import { registerReviewEvents } from './reviewEvents';

import '../../../style/gallery-inbox.css';

export interface IInboxEventsProps {
  trans: TranslationBundle;
  /** Opens a notebook's page, at `section` if given. */
  onOpenNotebook: (id: string, section?: PageSection) => void;
  /** The inbox to show; the one the gallery started by default. */
  model?: InboxModel | null;
}

/** Re-render on every change of `model`; with `refresh`, ask it now that it is shown. */
function useInbox(model: InboxModel | null, refresh: boolean): void {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    if (!model) {
      return;
    }
    const changed = () => setTick(n => n + 1);
    model.changed.connect(changed);
    if (refresh) {
      void model.refresh();
    }
    return () => {
      model.changed.disconnect(changed);
    };
  }, [model]);
}

/**
 * The number of unread notifications, on the sidebar's Inbox tab (nothing when none).
 */
export function UnreadBadge(props: {
  trans: TranslationBundle;
  model?: InboxModel | null;
}): JSX.Element | null {
  const { trans } = props;
  const model = props.model === undefined ? currentInbox() : props.model;
  useInbox(model, false);
  const page = model?.page;
  if (!page || page.unread === 0) {
    return null;
  }
  const shown = page.unreadMore ? '50+' : String(page.unread);
  return (
    <span
      className="jp-Atrium-Gallery-count-badge jp-Atrium-GalleryInbox-unreadBadge"
      aria-label={trans._n(
        '%2 unread notification',
        '%2 unread notifications',
        page.unread,
        shown
      )}
    >
      {shown}
    </span>
  );
}

/**
 * The gallery inbox: what others did that concerns the user (shares, review requests),
 * newest first, in the sidebar's Inbox tab above the change requests.
 */
export function InboxEvents(props: IInboxEventsProps): JSX.Element | null {
  const { trans, onOpenNotebook } = props;
  // Said the same here as in the notifications, even before the inbox started.
  registerReviewEvents();
  const model = props.model === undefined ? currentInbox() : props.model;
  useInbox(model, true);
  const [older, setOlder] = React.useState<IInboxEvent[]>([]);
  const [nextBefore, setNextBefore] = React.useState<number | null>(null);
  const [olderError, setOlderError] = React.useState<unknown>(null);
  const page = model?.page ?? null;
  React.useEffect(() => {
    // A new first page: older pages are fetched again from it.
    setOlder([]);
    setNextBefore(page?.nextBefore ?? null);
  }, [page?.items[0]?.id, page?.nextBefore]);
  if (!model) {
    return null;
  }
  const items = [...(page?.items ?? []), ...older];
  const unread = page ? items.filter(event => !event.read).length : 0;
  const loadOlder = () => {
    if (nextBefore === null) {
      return;
    }
    setOlderError(null);
    getInbox({ before: nextBefore, limit: 20 })
      .then(more => {
        setOlder(list => [...list, ...more.items]);
        setNextBefore(more.nextBefore);
      })
      .catch(setOlderError);
  };
  return (
    <section
      className="jp-Atrium-GalleryInbox"
      aria-labelledby="jp-Atrium-GalleryInbox-heading"
    >
      <div className="jp-Atrium-GalleryInbox-head">
        <h3
          id="jp-Atrium-GalleryInbox-heading"
          className="jp-Atrium-GalleryInbox-heading"
        >
          {trans.__('Notifications')}
          {unread > 0 && (
            <span
              className="jp-Atrium-Gallery-count-badge"
              aria-label={trans._n('%1 unread', '%1 unread', unread)}
            >
              {unread}
            </span>
          )}
        </h3>
        {unread > 0 && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject jp-Atrium-GalleryInbox-markRead"
            onClick={() => void model.markAllRead().catch(setOlderError)}
          >
            {trans.__('Mark all read')}
          </button>
        )}
      </div>
      {model.error !== null && page === null && (
        <ErrorMessage
          error={model.error}
          trans={trans}
          onRetry={() => void model.refresh()}
        />
      )}
      {page !== null && items.length === 0 && (
        <p className="jp-Atrium-GalleryInbox-empty">
          {trans.__(
            'Nothing new. Shares and reviews that concern you and your groups show here.'
          )}
        </p>
      )}
      {items.length > 0 && (
        <ul className="jp-Atrium-GalleryInbox-list">
          {items.map(event => (
            <li
              key={event.id}
              className={`jp-Atrium-GalleryInbox-item${
                event.read ? '' : ' jp-mod-unread'
              }`}
              data-event-kind={event.kind}
            >
              <button
                type="button"
                className="jp-Atrium-GalleryInbox-open"
                onClick={() =>
                  onOpenNotebook(event.notebookId, eventSection(event))
                }
              >
                {!event.read && (
                  <span className="jp-Atrium-GalleryInbox-unreadMark">
                    {trans.__('New:')}{' '}
                  </span>
                )}
                {describeEvent(event, trans)}
              </button>
              <TimeText
                value={event.createdAt}
                className="jp-Atrium-GalleryInbox-time"
              />
            </li>
          ))}
        </ul>
      )}
      {olderError !== null && <ErrorMessage error={olderError} trans={trans} />}
      {nextBefore !== null && (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject jp-Atrium-GalleryInbox-older"
          onClick={loadOlder}
        >
          {trans.__('Show older')}
        </button>
      )}
    </section>
  );
}
