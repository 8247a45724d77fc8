import * as React from 'react';

import { HEALTH_REPORTED_EVENT } from '../../common/events';
import { getPolicy } from '../api';
import { OPEN_PAGE_COMMAND, PageSection } from '../page/args';
import {
  FOCUS_RESULT_EVENT,
  GALLERY_CHANGED_EVENT,
  SHOW_TAB_ATTRIBUTE,
  SHOW_TAB_EVENT
} from '../page/events';
import { InboxEvents, UnreadBadge } from '../inbox/view';
import { INotebookSummary } from '../types';
import { AssignmentsSection } from './assignments';
import { IPanelEnv } from './env';
import { RequestsView, useRequests } from './requests';
import { ReviewQueue } from './reviewQueue';
import { SearchView } from './search';

export const PUBLISH_COMMAND = 'atrium-gallery:publish';

type Tab = 'browse' | 'inbox' | 'reviews' | 'sent';
/** The Reviews tab is there for reviewers only. */
const TABS: Tab[] = ['browse', 'inbox', 'sent'];
const REVIEWER_TABS: Tab[] = ['browse', 'inbox', 'reviews', 'sent'];

function isTab(value: unknown): value is Tab {
  return typeof value === 'string' && REVIEWER_TABS.includes(value as Tab);
}

/** The tab a command asked for before (or while) the panel was made, taken once. */
function takeTabRequest(node: HTMLElement | null): Tab | null {
  const holder = node?.closest<HTMLElement>(`[${SHOW_TAB_ATTRIBUTE}]`);
  if (!holder) {
    return null;
  }
  const wanted = holder.getAttribute(SHOW_TAB_ATTRIBUTE);
  holder.removeAttribute(SHOW_TAB_ATTRIBUTE);
  return isTab(wanted) ? wanted : null;
}

export interface IGalleryPanelViewProps {
  env: IPanelEnv;
  /** Changes each time the panel is shown: lists are fetched again then. */
  activation: number;
  /** Opens a notebook's page (in the main area) and moves the focus into it. */
  openNotebook: (id: string, initial: INotebookSummary | null) => void;
}

/**
 * The gallery sidebar: browse (search and results), inbox, the review queue (reviewers)
 * and sent change requests. A notebook opens as a page of its own (src/gallery/page).
 */
export function GalleryPanelView(props: IGalleryPanelViewProps): JSX.Element {
  const { env, activation, openNotebook } = props;
  const { trans } = env;
  const [user, setUser] = React.useState<string | null>(null);
  const [reviewerOf, setReviewerOf] = React.useState<string[]>([]);
  const [tab, setTab] = React.useState<Tab>('browse');
  const [changes, setChanges] = React.useState(0);
  // Escape on a notebook's page: its result gets the focus again.
  const [focusRequest, setFocusRequest] = React.useState<{
    id: string;
    n: number;
  } | null>(null);
  const root = React.useRef<HTMLDivElement>(null);
  const refreshKey = activation * 100000 + changes;
  // Runs of gallery notebooks were just reported, or a page changed a notebook (star,
  // deletion): the lists and badges are fetched again.
  React.useEffect(() => {
    const changed = () => setChanges(c => c + 1);
    window.addEventListener(HEALTH_REPORTED_EVENT, changed);
    window.addEventListener(GALLERY_CHANGED_EVENT, changed);
    return () => {
      window.removeEventListener(HEALTH_REPORTED_EVENT, changed);
      window.removeEventListener(GALLERY_CHANGED_EVENT, changed);
    };
  }, []);
  const incoming = useRequests('incoming', refreshKey);
  const outgoing = useRequests('outgoing', refreshKey);
  const tabRefs = React.useRef<(HTMLButtonElement | null)[]>([]);

  React.useEffect(() => {
    let live = true;
    if (user === null) {
      getPolicy()
        .then(policy => {
          if (live) {
            setUser(policy.user);
            setReviewerOf(policy.reviewerOf ?? []);
          }
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [activation]);

  // The review queue command: on the panel's first render and whenever it is run again.
  React.useEffect(() => {
    const take = () => {
      const wanted = takeTabRequest(root.current);
      if (wanted) {
        setTab(wanted);
      }
    };
    take();
    window.addEventListener(SHOW_TAB_EVENT, take);
    return () => window.removeEventListener(SHOW_TAB_EVENT, take);
  }, []);

  const tabs = reviewerOf.length > 0 ? REVIEWER_TABS : TABS;
  const tabRef = React.useRef(tab);
  tabRef.current = tab;
  const tabsRef = React.useRef(tabs);
  tabsRef.current = tabs;
  React.useEffect(() => {
    const focusResult = (event: Event) => {
      const node = root.current;
      const id = (event as CustomEvent<{ id?: unknown }>).detail?.id;
      // Only a panel on screen takes the focus (a collapsed sidebar hides it).
      if (!node?.isConnected || node.closest('.lm-mod-hidden, [hidden]')) {
        return;
      }
      event.preventDefault();
      if (tabRef.current === 'browse' && typeof id === 'string') {
        setFocusRequest(previous => ({ id, n: (previous?.n ?? 0) + 1 }));
      } else {
        tabRefs.current[tabsRef.current.indexOf(tabRef.current)]?.focus();
      }
    };
    window.addEventListener(FOCUS_RESULT_EVENT, focusResult);
    return () => window.removeEventListener(FOCUS_RESULT_EVENT, focusResult);
  }, []);

  const settings = env.settings();
  const onChanged = React.useCallback(() => setChanges(n => n + 1), []);
  const openRequested = React.useCallback(
    (id: string) => openNotebook(id, null),
    [openNotebook]
  );
  const openAt = React.useCallback(
    (id: string, section?: PageSection) => {
      if (!section) {
        openNotebook(id, null);
        return;
      }
      env.app.commands
        .execute(OPEN_PAGE_COMMAND, { id, section })
        .catch(error =>
          console.warn('Atrium gallery: the page did not open', error)
        );
    },
    [openNotebook, env.app]
  );
  const inboxCount = incoming.items?.length ?? 0;
  const commands = env.app.commands;
  const canPublish =
    commands.hasCommand(PUBLISH_COMMAND) && commands.isEnabled(PUBLISH_COMMAND);

  const tabLabel = (t: Tab) =>
    t === 'browse'
      ? trans.__('Browse')
      : t === 'inbox'
        ? trans.__('Inbox')
        : t === 'reviews'
          ? trans.__('Reviews')
          : trans.__('Sent');

  const onTabKey = (event: React.KeyboardEvent, index: number) => {
    let next = -1;
    if (event.key === 'ArrowRight') {
      next = (index + 1) % tabs.length;
    } else if (event.key === 'ArrowLeft') {
      next = (index + tabs.length - 1) % tabs.length;
    } else if (event.key === 'Home') {
      next = 0;
    } else if (event.key === 'End') {
      next = tabs.length - 1;
    }
    if (next >= 0) {
      event.preventDefault();
      setTab(tabs[next]);
      tabRefs.current[next]?.focus();
    }
  };

  return (
    <div className="jp-Atrium-Gallery-panelBody" ref={root}>
      <div className="jp-Atrium-Gallery-header">
        <h2 className="jp-Atrium-Gallery-heading">{trans.__('Gallery')}</h2>
        {canPublish && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-Atrium-Gallery-publish"
            title={commands.caption(PUBLISH_COMMAND) || undefined}
            onClick={() => void commands.execute(PUBLISH_COMMAND)}
          >
            {trans.__('Publish…')}
          </button>
        )}
      </div>
      <AssignmentsSection env={env} refreshKey={activation} />
      <div
        className="jp-Atrium-Gallery-tabs"
        role="tablist"
        aria-label={trans.__('Gallery sections')}
      >
        {tabs.map((t, index) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`jp-Atrium-Gallery-tab-${t}`}
            ref={node => (tabRefs.current[index] = node)}
            className={`jp-Atrium-Gallery-tab jp-Atrium-Gallery-tab-${t}${
              tab === t ? ' jp-mod-current' : ''
            }`}
            aria-selected={tab === t}
            aria-controls={`jp-Atrium-Gallery-tabpanel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
            onKeyDown={event => onTabKey(event, index)}
          >
            {tabLabel(t)}
            {t === 'inbox' && inboxCount > 0 && (
              <span
                className="jp-Atrium-Gallery-count-badge"
                aria-label={trans._n(
                  '%1 open request',
                  '%1 open requests',
                  inboxCount
                )}
              >
                {inboxCount}
              </span>
            )}
            {t === 'inbox' && <UnreadBadge trans={trans} />}
          </button>
        ))}
      </div>
      <div
        className="jp-Atrium-Gallery-tabpanel"
        role="tabpanel"
        id="jp-Atrium-Gallery-tabpanel-browse"
        aria-labelledby="jp-Atrium-Gallery-tab-browse"
        hidden={tab !== 'browse'}
      >
        <SearchView
          trans={trans}
          user={user}
          pageSize={settings.pageSize}
          debounceMs={settings.searchDebounceMs}
          refreshKey={refreshKey}
          focusRequest={focusRequest}
          prefetched={env.firstPage}
          onOpen={summary => openNotebook(summary.id, summary)}
        />
      </div>
      <div
        className="jp-Atrium-Gallery-tabpanel"
        role="tabpanel"
        id="jp-Atrium-Gallery-tabpanel-inbox"
        aria-labelledby="jp-Atrium-Gallery-tab-inbox"
        hidden={tab !== 'inbox'}
      >
        {tab === 'inbox' && (
          <InboxEvents trans={trans} onOpenNotebook={openAt} />
        )}
        <RequestsView
          env={env}
          role="incoming"
          list={incoming}
          onOpenNotebook={openRequested}
          onChanged={onChanged}
        />
      </div>
      <div
        className="jp-Atrium-Gallery-tabpanel"
        role="tabpanel"
        id="jp-Atrium-Gallery-tabpanel-reviews"
        aria-labelledby="jp-Atrium-Gallery-tab-reviews"
        hidden={tab !== 'reviews'}
      >
        {tab === 'reviews' && (
          <ReviewQueue
            trans={trans}
            user={user}
            kinds={reviewerOf}
            refreshKey={refreshKey}
            onOpen={id => openAt(id, 'reviews')}
          />
        )}
      </div>
      <div
        className="jp-Atrium-Gallery-tabpanel"
        role="tabpanel"
        id="jp-Atrium-Gallery-tabpanel-sent"
        aria-labelledby="jp-Atrium-Gallery-tab-sent"
        hidden={tab !== 'sent'}
      >
        <RequestsView
          env={env}
          role="outgoing"
          list={outgoing}
          onOpenNotebook={openRequested}
          onChanged={onChanged}
        />
      </div>
    </div>
  );
}
