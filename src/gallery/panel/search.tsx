import { TranslationBundle } from '@jupyterlab/translation';
import { filterIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { listTags, searchNotebooks, setStar } from '../api';
import {
  HealthLabel,
  INotebookSummary,
  IPage,
  ITagCount,
  SortOrder
} from '../types';
import { DeprecatedBadge, ShowDeprecated } from '../deprecated';
import { VerifiedBadge, VerifiedOnlyFilter } from '../verified';
import {
  Badge,
  ErrorMessage,
  Loading,
  StarButton,
  TimeText,
  errorText
} from './common';
import { HealthBadge, HealthFilter } from './health';
import { IPrefetchedPage, takePrefetched } from './prefetch';
import { ISearchState, searchQuery } from './query';
import { clampIndex, rovingTarget } from './roving';

const TITLE_CLASS = 'jp-Atrium-Gallery-resultTitle';

/**
 * The sort orders offered.
 */
const SORTS: { value: SortOrder; available: boolean }[] = [
  { value: 'relevance', available: true },
  { value: 'updated', available: true },
  { value: 'title', available: true },
  { value: 'stars', available: true },
  { value: 'health', available: true }
];

function sortLabel(sort: string, trans: TranslationBundle): string {
  switch (sort) {
    case 'relevance':
      return trans.__('Relevance');
    case 'updated':
      return trans.__('Recently updated');
    case 'title':
      return trans.__('Title');
    case 'stars':
      return trans.__('Stars');
    default:
      return trans.__('Health');
  }
}

/**
 * A value that follows `value` once it has not changed for `delay` ms.
 */
function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = React.useState(value);
  React.useEffect(() => {
    if (delay <= 0) {
      setDebounced(value);
      return;
    }
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return delay <= 0 ? value : debounced;
}

export interface IResultItemProps {
  summary: INotebookSummary;
  user: string | null;
  trans: TranslationBundle;
  onOpen: (summary: INotebookSummary) => void;
  onTag: (tag: string) => void;
  onOwner: (owner: string) => void;
  onStarred: (summary: INotebookSummary) => void;
  onError: (error: unknown) => void;
  /** The list's one Tab stop is this result's title. */
  tabbable: boolean;
  titleRef: (node: HTMLButtonElement | null) => void;
  onFocusTitle: () => void;
}

/**
 * The star state of one notebook, toggled optimistically and put back on failure.
 */
export function useStar(
  summary: INotebookSummary,
  onStarred: (summary: INotebookSummary) => void,
  onError: (error: unknown) => void
): { busy: boolean; toggle: () => void } {
  const [busy, setBusy] = React.useState(false);
  const toggle = React.useCallback(() => {
    const on = !summary.starred;
    setBusy(true);
    onStarred({
      ...summary,
      starred: on,
      stars: Math.max(0, summary.stars + (on ? 1 : -1))
    });
    setStar(summary.id, on)
      .then(state => {
        onStarred({ ...summary, stars: state.stars, starred: state.starred });
      })
      .catch(error => {
        onStarred(summary);
        onError(error);
      })
      .finally(() => setBusy(false));
  }, [summary, onStarred, onError]);
  return { busy, toggle };
}

/**
 * The lines under a title: owner, visibility, "yours", updated time, change requests.
 */
export function SummaryMeta(props: {
  summary: INotebookSummary;
  user: string | null;
  trans: TranslationBundle;
  onOwner?: (owner: string) => void;
  /** -1 inside the results list (one Tab stop for the whole list). */
  tabIndex?: number;
}): JSX.Element {
  const { summary, user, trans, onOwner, tabIndex } = props;
  const mine = user !== null && summary.owner === user;
  return (
    <div className="jp-Atrium-Gallery-meta">
      {onOwner ? (
        <button
          type="button"
          className="jp-Atrium-Gallery-owner jp-Atrium-Gallery-linkButton"
          title={trans.__('Show notebooks by %1', summary.owner)}
          tabIndex={tabIndex}
          onClick={() => onOwner(summary.owner)}
        >
          {summary.owner}
        </button>
      ) : (
        <span className="jp-Atrium-Gallery-owner">{summary.owner}</span>
      )}
      {mine && (
        <span className="jp-Atrium-Gallery-yours">
          <Badge kind="yours" label={trans.__('yours')} />
        </span>
      )}
      <span
        className="jp-Atrium-Gallery-visibility"
        data-visibility={summary.visibility}
      >
        <Badge
          kind={summary.visibility}
          label={
            summary.visibility === 'private'
              ? trans.__('private')
              : summary.visibility === 'shared'
                ? trans.__('shared')
                : trans.__('public')
          }
          title={
            summary.visibility === 'private'
              ? trans.__('Only the owner and administrators can see it')
              : summary.visibility === 'shared'
                ? trans.__(
                    'Only the owner and the people and groups it is shared with can see it'
                  )
                : trans.__('Everyone can see it')
          }
        />
      </span>
      <span className="jp-Atrium-Gallery-updated">
        {trans.__('updated')} <TimeText value={summary.updatedAt} />
      </span>
      <span className="jp-Atrium-Gallery-version">
        {trans.__('v%1', summary.version)}
      </span>
      <HealthBadge health={summary.health} trans={trans} />
      <VerifiedBadge verified={summary.verified} trans={trans} />
      <DeprecatedBadge deprecation={summary.deprecation} trans={trans} />
      {summary.canEdit && summary.openChangeRequests > 0 && (
        <Badge
          kind="requests"
          label={trans._n(
            '%1 change request',
            '%1 change requests',
            summary.openChangeRequests
          )}
        />
      )}
    </div>
  );
}

/**
 * One search result.
 */
export function ResultItem(props: IResultItemProps): JSX.Element {
  const { summary, user, trans, onOpen, onTag, onOwner, onStarred, onError } =
    props;
  // Only the title is in the Tab order; the list's arrow keys move between titles, and
  // the other controls are for the pointer (the notebook's page has them all).
  const inner = -1;
  const star = useStar(summary, onStarred, onError);
  const titleId = `jp-Atrium-Gallery-result-${summary.id}`;
  return (
    <li
      className="jp-Atrium-Gallery-result"
      data-id={summary.id}
      aria-labelledby={titleId}
    >
      <div className="jp-Atrium-Gallery-resultHead">
        <button
          type="button"
          id={titleId}
          className={TITLE_CLASS}
          title={trans.__('Preview "%1"', summary.title)}
          tabIndex={props.tabbable ? 0 : -1}
          ref={props.titleRef}
          onFocus={props.onFocusTitle}
          onClick={() => onOpen(summary)}
        >
          {summary.title}
        </button>
        <StarButton
          stars={summary.stars}
          starred={summary.starred}
          busy={star.busy}
          title={summary.title}
          trans={trans}
          onToggle={star.toggle}
          tabIndex={inner}
        />
      </div>
      <SummaryMeta
        summary={summary}
        user={user}
        trans={trans}
        onOwner={onOwner}
        tabIndex={inner}
      />
      {summary.snippet ? (
        <p className="jp-Atrium-Gallery-snippet">{summary.snippet}</p>
      ) : summary.description ? (
        <p className="jp-Atrium-Gallery-description">{summary.description}</p>
      ) : null}
      {summary.tags.length > 0 && (
        <ul className="jp-Atrium-Gallery-tags" aria-label={trans.__('Tags')}>
          {summary.tags.map(tag => (
            <li key={tag}>
              <button
                type="button"
                className="jp-Atrium-Gallery-tag"
                title={trans.__('Show notebooks tagged %1', tag)}
                tabIndex={inner}
                onClick={() => onTag(tag)}
              >
                {tag}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export interface ISearchViewProps {
  trans: TranslationBundle;
  user: string | null;
  pageSize: number;
  debounceMs: number;
  /** Changes when the list must be fetched again (after a delete, a star elsewhere…). */
  refreshKey: number;
  onOpen: (summary: INotebookSummary) => void;
  /**
   * Focus the result of this notebook (back from its page); `n` changes with each request.
   */
  focusRequest?: { id: string; n: number } | null;
  /** The first page, asked for while the panel was loading (used once, if it fits). */
  prefetched?: IPrefetchedPage | null;
}

type Fetch =
  | { state: 'loading'; page: IPage<INotebookSummary> | null }
  /**
   * `seq`: the search that gave this page (a newer one may already be under way); `q`: its
   * search text, shown as `data-shown-query` so UI tests can wait for the reply to a search.
   */
  | { state: 'done'; page: IPage<INotebookSummary>; seq: number; q: string }
  | { state: 'error'; error: unknown };

/**
 * Search box, filters, sort, results and paging.
 */
/** Numbers each panel's filter row, for aria-controls. */
let filterRows = 0;

export function SearchView(props: ISearchViewProps): JSX.Element {
  const {
    trans,
    user,
    pageSize,
    debounceMs,
    refreshKey,
    onOpen,
    focusRequest,
    prefetched
  } = props;
  const [text, setText] = React.useState('');
  const [ownerText, setOwnerText] = React.useState('');
  // Closed at first, as the file browser's filter: the sidebar is for the search and its
  // results; the filters are a click away.
  const [filtersOpen, setFiltersOpen] = React.useState(false);
  const filtersId = React.useMemo(
    () => `jp-Atrium-Gallery-filters-${++filterRows}`,
    []
  );
  const q = useDebounced(text, debounceMs);
  const owner = useDebounced(ownerText, debounceMs);
  const [filters, setFilters] = React.useState({
    tag: '',
    mine: false,
    starred: false,
    health: [] as HealthLabel[],
    verified: false,
    deprecated: false,
    sort: 'relevance' as SortOrder
  });
  const [reload, setReload] = React.useState(0);
  const [fetch, setFetch] = React.useState<Fetch>({
    state: 'loading',
    page: null
  });
  const [tags, setTags] = React.useState<ITagCount[]>([]);
  const [starError, setStarError] = React.useState<unknown>(null);
  const seq = React.useRef(0);

  // A new query starts at page 1: the page belongs to the query it was chosen for.
  const queryKey = JSON.stringify([q.trim(), owner.trim(), filters]);
  const [paging, setPaging] = React.useState({ key: queryKey, page: 1 });
  const effectivePage = paging.key === queryKey ? paging.page : 1;
  const setPage = (page: number) => setPaging({ key: queryKey, page });

  React.useEffect(() => {
    const mySeq = ++seq.current;
    const state: ISearchState = { q, owner, ...filters, page: effectivePage };
    setFetch(previous => ({
      state: 'loading',
      page: previous.state === 'error' ? null : previous.page
    }));
    const query = searchQuery(state, pageSize);
    (takePrefetched(prefetched, query) ?? searchNotebooks(query))
      .then(result => {
        if (mySeq !== seq.current) {
          return;
        }
        const last = Math.max(1, Math.ceil(result.total / result.perPage));
        if (result.items.length === 0 && effectivePage > last) {
          // The page went away (deleted notebooks): show the last one.
          setPaging({ key: queryKey, page: last });
          return;
        }
        setFetch({
          state: 'done',
          page: result,
          seq: mySeq,
          q: state.q.trim()
        });
      })
      .catch(error => {
        if (mySeq === seq.current) {
          setFetch({ state: 'error', error });
        }
      });
  }, [queryKey, effectivePage, pageSize, reload, refreshKey]);

  React.useEffect(() => {
    let live = true;
    listTags()
      .then(items => live && setTags(items))
      .catch(() => live && setTags([]));
    return () => {
      live = false;
    };
  }, [refreshKey]);

  const onStarred = React.useCallback((changed: INotebookSummary) => {
    setFetch(previous =>
      previous.state === 'error' || previous.page === null
        ? previous
        : {
            ...previous,
            page: {
              ...previous.page,
              items: previous.page.items.map(item =>
                item.id === changed.id ? changed : item
              )
            }
          }
    );
  }, []);
  const onStarError = React.useCallback((error: unknown) => {
    setStarError(error);
  }, []);

  // Filters other than the words searched for: counted on the toggle, so a closed
  // filter row still says that results are narrowed.
  const activeFilters = [
    owner.trim() !== '',
    filters.tag !== '',
    filters.mine,
    filters.starred,
    filters.verified,
    filters.health.length > 0
  ].filter(Boolean).length;
  const filtered =
    q.trim() !== '' ||
    owner.trim() !== '' ||
    filters.tag !== '' ||
    filters.mine ||
    filters.starred ||
    filters.verified ||
    filters.deprecated ||
    filters.health.length > 0;
  const current = fetch.state === 'error' ? null : fetch.page;
  const items = current?.items ?? [];
  const [activeIndex, setActiveIndex] = React.useState(0);
  const active = clampIndex(activeIndex, items.length);
  const titles = React.useRef<(HTMLButtonElement | null)[]>([]);
  const focusResult = (index: number) => {
    setActiveIndex(index);
    titles.current[index]?.focus();
  };
  const onListKey = (event: React.KeyboardEvent) => {
    if (!(event.target as HTMLElement).classList.contains(TITLE_CLASS)) {
      return;
    }
    const next = rovingTarget(event.key, active, items.length);
    if (next !== null) {
      event.preventDefault();
      focusResult(next);
    }
  };
  // Back from a notebook's page: its result gets the focus. When it is gone (deleted),
  // the nearest result does, once the list has been fetched again.
  const pendingFocus = React.useRef<string | null>(null);
  React.useEffect(() => {
    pendingFocus.current = focusRequest?.id ?? null;
  }, [focusRequest]);
  React.useEffect(() => {
    const id = pendingFocus.current;
    if (id === null) {
      return;
    }
    const index = items.findIndex(item => item.id === id);
    if (index >= 0) {
      focusResult(index);
    }
    const final =
      fetch.state === 'error' ||
      (fetch.state === 'done' && fetch.seq === seq.current);
    if (final) {
      if (index < 0 && items.length > 0) {
        focusResult(active);
      }
      pendingFocus.current = null;
    }
  }, [focusRequest, fetch]);
  const total = current?.total ?? 0;
  const perPage = current?.perPage ?? pageSize;
  const pages = Math.max(1, Math.ceil(total / Math.max(1, perPage)));
  const shownPage = current?.page ?? effectivePage;
  const first = total === 0 ? 0 : (shownPage - 1) * perPage + 1;
  const last = current ? first + current.items.length - 1 : 0;
  const tagOptions = tags.some(t => t.tag === filters.tag)
    ? tags
    : filters.tag
      ? [{ tag: filters.tag, count: 0 }, ...tags]
      : tags;

  return (
    <div
      className="jp-Atrium-Gallery-search"
      role="search"
      data-shown-query={fetch.state === 'done' ? fetch.q : undefined}
    >
      <div className="jp-Atrium-Gallery-controls">
        <div className="jp-Atrium-Gallery-searchRow">
          <input
            type="search"
            className="jp-Atrium-Gallery-searchInput jp-mod-styled"
            placeholder={trans.__('Search text and code')}
            aria-label={trans.__('Search the gallery')}
            title={trans.__(
              'Searches titles, descriptions, tags and the code and text of every cell'
            )}
            value={text}
            onChange={event => setText(event.target.value)}
          />
          <button
            type="button"
            className="jp-Atrium-Gallery-filterToggle"
            aria-expanded={filtersOpen}
            aria-controls={filtersId}
            title={
              filtersOpen ? trans.__('Hide filters') : trans.__('Show filters')
            }
            onClick={() => setFiltersOpen(!filtersOpen)}
          >
            <filterIcon.react
              tag="span"
              className="jp-Atrium-Gallery-filterIcon"
            />
            <span className="jp-Atrium-Gallery-filterToggleText">
              {trans.__('Filters')}
            </span>
            {activeFilters > 0 && (
              <span
                className="jp-Atrium-Gallery-filterCount"
                aria-label={trans._n(
                  '%1 filter on',
                  '%1 filters on',
                  activeFilters
                )}
              >
                {activeFilters}
              </span>
            )}
          </button>
        </div>
        <div
          className="jp-Atrium-Gallery-filters"
          id={filtersId}
          role="group"
          aria-label={trans.__('Filters')}
          hidden={!filtersOpen}
        >
          <div className="jp-Atrium-Gallery-filterChecks">
            <label className="jp-Atrium-Gallery-filterMine">
              <input
                type="checkbox"
                checked={filters.mine}
                onChange={event =>
                  setFilters({ ...filters, mine: event.target.checked })
                }
              />
              {trans.__('Mine')}
            </label>
            <label className="jp-Atrium-Gallery-filterStarred">
              <input
                type="checkbox"
                checked={filters.starred}
                onChange={event =>
                  setFilters({ ...filters, starred: event.target.checked })
                }
              />
              {trans.__('Starred')}
            </label>
            <VerifiedOnlyFilter
              checked={filters.verified}
              onChange={verified => setFilters({ ...filters, verified })}
              trans={trans}
            />
          </div>
          <label className="jp-Atrium-Gallery-filterField">
            <span>{trans.__('Tag')}</span>
            <select
              className="jp-Atrium-Gallery-filterTag jp-mod-styled"
              value={filters.tag}
              onChange={event =>
                setFilters({ ...filters, tag: event.target.value })
              }
            >
              <option value="">{trans.__('Any tag')}</option>
              {tagOptions.map(t => (
                <option key={t.tag} value={t.tag}>
                  {t.count ? `${t.tag} (${t.count})` : t.tag}
                </option>
              ))}
            </select>
          </label>
          <label className="jp-Atrium-Gallery-filterField">
            <span>{trans.__('Owner')}</span>
            <input
              type="text"
              className="jp-Atrium-Gallery-filterOwner jp-mod-styled"
              placeholder={trans.__('Anyone')}
              value={ownerText}
              onChange={event => setOwnerText(event.target.value)}
            />
          </label>
          <HealthFilter
            value={filters.health}
            trans={trans}
            onChange={health => setFilters({ ...filters, health })}
          />
          <label className="jp-Atrium-Gallery-filterField">
            <span>{trans.__('Sort by')}</span>
            <select
              className="jp-Atrium-Gallery-sort jp-mod-styled"
              value={filters.sort}
              onChange={event =>
                setFilters({
                  ...filters,
                  sort: event.target.value as SortOrder
                })
              }
            >
              {SORTS.filter(s => s.available).map(s => (
                <option key={s.value} value={s.value}>
                  {sortLabel(s.value, trans)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {filtered && (
          <button
            type="button"
            className="jp-Atrium-Gallery-clearFilters jp-Atrium-Gallery-linkButton"
            onClick={() => {
              setText('');
              setOwnerText('');
              setFilters({
                ...filters,
                tag: '',
                mine: false,
                starred: false,
                verified: false,
                deprecated: false,
                health: []
              });
            }}
          >
            {trans.__('Clear filters')}
          </button>
        )}
      </div>

      {starError !== null && (
        <div className="jp-Atrium-Gallery-error" role="alert">
          <span className="jp-Atrium-Gallery-errorText">
            {trans.__(
              'Could not change the star: %1',
              errorText(starError, trans)
            )}
          </span>
          <button
            type="button"
            className="jp-Atrium-Gallery-linkButton"
            onClick={() => setStarError(null)}
          >
            {trans.__('Dismiss')}
          </button>
        </div>
      )}

      {fetch.state === 'error' ? (
        <ErrorMessage
          error={fetch.error}
          trans={trans}
          onRetry={() => setReload(n => n + 1)}
        />
      ) : null}
      {fetch.state === 'loading' && (
        <Loading text={trans.__('Searching the gallery…')} />
      )}
      {current && current.items.length === 0 && fetch.state === 'done' && (
        <div className="jp-Atrium-Gallery-empty">
          {filtered
            ? trans.__('No notebooks match your search.')
            : trans.__(
                'The gallery is empty. Publish a notebook to share it with others.'
              )}
          <ShowDeprecated
            count={current.deprecatedMatches ?? 0}
            trans={trans}
            onShow={() => setFilters({ ...filters, deprecated: true })}
          />
        </div>
      )}
      {current && current.items.length > 0 && (
        <>
          <div className="jp-Atrium-Gallery-count" aria-live="polite">
            {trans.__('%1–%2 of %3 notebooks', first, last, total)}
          </div>
          <ul
            className="jp-Atrium-Gallery-results"
            aria-label={trans.__('Gallery notebooks')}
            aria-busy={fetch.state === 'loading'}
            onKeyDown={onListKey}
          >
            {current.items.map((summary, index) => (
              <ResultItem
                key={summary.id}
                tabbable={index === active}
                titleRef={node => (titles.current[index] = node)}
                onFocusTitle={() => setActiveIndex(index)}
                summary={summary}
                user={user}
                trans={trans}
                onOpen={onOpen}
                onTag={tag => setFilters({ ...filters, tag })}
                onOwner={name => setOwnerText(name)}
                onStarred={onStarred}
                onError={onStarError}
              />
            ))}
          </ul>
        </>
      )}
      {current && pages > 1 && (
        <nav
          className="jp-Atrium-Gallery-pager"
          aria-label={trans.__('Result pages')}
        >
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-Atrium-Gallery-prevPage"
            disabled={shownPage <= 1 || fetch.state === 'loading'}
            onClick={() => setPage(Math.max(1, shownPage - 1))}
          >
            {trans.__('Previous')}
          </button>
          <span className="jp-Atrium-Gallery-pageInfo" aria-live="polite">
            {trans.__('Page %1 of %2', shownPage, pages)}
          </span>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-Atrium-Gallery-nextPage"
            disabled={shownPage >= pages || fetch.state === 'loading'}
            onClick={() => setPage(Math.min(pages, shownPage + 1))}
          >
            {trans.__('Next')}
          </button>
        </nav>
      )}
    </div>
  );
}
