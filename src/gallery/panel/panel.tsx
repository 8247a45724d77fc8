import * as React from 'react';

import { HEALTH_REPORTED_EVENT } from '../../common/events';
import { getPolicy } from '../api';
import { FOCUS_RESULT_EVENT, GALLERY_CHANGED_EVENT } from '../page/events';
import { InboxEvents, UnreadBadge } from '../inbox/view';
import { INotebookSummary } from '../types';
import { AssignmentsSection } from './assignments';
import { IPanelEnv } from './env';
import { RequestsView, useRequests } from './requests';
import { SearchView } from './search';

export const PUBLISH_COMMAND = 'atrium-gallery:publish';

type Tab = 'browse' | 'inbox' | 'sent';
const TABS: Tab[] = ['browse', 'inbox', 'sent'];

export interface IGalleryPanelViewProps {
  env: IPanelEnv;
  /** Changes each time the panel is shown: lists are fetched again then. */
  activation: number;
  /** Opens a notebook's page (in the main area) and moves the focus into it. */
  openNotebook: (id: string, initial: INotebookSummary | null) => void;
}

/**
 * The gallery sidebar: browse (search and results), inbox and sent change requests. A
 * notebook opens as a page of its own (src/gallery/page).
 */
export function GalleryPanelView(props: IGalleryPanelViewProps): JSX.Element {
  const { env, activation, openNotebook } = props;
  const { trans } = env;
  const [user, setUser] = React.useState<string | null>(null);
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
        .then(policy => live && setUser(policy.user))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [activation]);

  const tabRef = React.useRef(tab);
  tabRef.current = tab;
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
        tabRefs.current[TABS.indexOf(tabRef.current)]?.focus();
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
  const inboxCount = incoming.items?.length ?? 0;
  const commands = env.app.commands;
  const canPublish =
    commands.hasCommand(PUBLISH_COMMAND) && commands.isEnabled(PUBLISH_COMMAND);

  const tabLabel = (t: Tab) =>
    t === 'browse'
      ? trans.__('Browse')
      : t === 'inbox'
        ? trans.__('Inbox')
        : trans.__('Sent');

  const onTabKey = (event: React.KeyboardEvent, index: number) => {
    let next = -1;
    if (event.key === 'ArrowRight') {
      next = (index + 1) % TABS.length;
    } else if (event.key === 'ArrowLeft') {
      next = (index + TABS.length - 1) % TABS.length;
    } else if (event.key === 'Home') {
      next = 0;
    } else if (event.key === 'End') {
      next = TABS.length - 1;
    }
    if (next >= 0) {
      event.preventDefault();
      setTab(TABS[next]);
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
        {TABS.map((t, index) => (
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
          <InboxEvents
            trans={trans}
            onOpenNotebook={id => openNotebook(id, null)}
          />
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
