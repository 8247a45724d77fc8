import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { INotebookContent } from '@jupyterlab/nbformat';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { deleteNotebook, getContent, getNotebook } from '../api';
import { showNotebookDiff } from '../diff';
import { diffOptionsOf } from '../diff/reopen';
import { openGalleryCopy } from '../open';
import { INotebookSummary } from '../types';
import { ErrorMessage, Loading, StarButton, errorText } from './common';
import { IPanelEnv } from './env';
import { HealthSection } from './health';
import { NotebookPreview } from './preview';
import { SummaryMeta, useStar } from './search';
import { VersionsView } from './versions';

export interface INotebookDetailProps {
  env: IPanelEnv;
  id: string;
  /** What the list knew, shown until the fresh summary arrives. */
  initial: INotebookSummary | null;
  user: string | null;
  /** Escape: the focus goes back to where the page was opened from. */
  onBack: () => void;
  /** Something the list shows changed (star, deletion). */
  onChanged: () => void;
  /** The notebook was deleted: its page closes. */
  onDeleted: () => void;
  /** The summary arrived or changed (the page's tab shows the title). */
  onSummary?: (summary: INotebookSummary) => void;
  /**
   * Changes when the panel is shown again: the summary is read again, so a health that
   * changed meanwhile (runs reported) shows.
   */
  activation?: number;
}

type Loaded<T> =
  | { state: 'loading' }
  | { state: 'done'; value: T }
  | { state: 'error'; error: unknown };

/**
 * One gallery notebook: its summary, a read-only preview and its actions (open a copy,
 * versions, delete for owners).
 */
export function NotebookDetail(props: INotebookDetailProps): JSX.Element {
  const {
    env,
    id,
    initial,
    user,
    onBack,
    onChanged,
    onDeleted,
    onSummary,
    activation
  } = props;
  const { trans } = env;
  const [summary, setSummary] = React.useState<INotebookSummary | null>(
    initial
  );
  const [summaryError, setSummaryError] = React.useState<unknown>(null);
  const [mode, setMode] = React.useState<'preview' | 'versions'>('preview');
  const [viewing, setViewing] = React.useState<number | null>(null);
  const [content, setContent] = React.useState<Loaded<INotebookContent>>({
    state: 'loading'
  });
  const [reload, setReload] = React.useState(0);
  const [busy, setBusy] = React.useState<string | null>(null);
  const [actionError, setActionError] = React.useState<unknown>(null);
  const [status, setStatus] = React.useState('');
  // Opening a notebook moves the focus onto its page; Escape goes back to the list.
  const root = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    root.current?.focus();
  }, []);
  React.useEffect(() => {
    if (summary) {
      onSummary?.(summary);
    }
  }, [summary]);
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onBack();
    }
  };

  React.useEffect(() => {
    let live = true;
    setSummaryError(null);
    getNotebook(id)
      .then(reply => {
        if (live && reply !== 'not-modified') {
          setSummary(reply.summary);
        }
      })
      .catch(error => live && setSummaryError(error));
    return () => {
      live = false;
    };
  }, [id, reload, activation]);

  React.useEffect(() => {
    let live = true;
    setContent({ state: 'loading' });
    getContent(id, viewing ?? undefined)
      .then(value => live && setContent({ state: 'done', value }))
      .catch(error => live && setContent({ state: 'error', error }));
    return () => {
      live = false;
    };
  }, [id, viewing, reload]);

  const onStarred = React.useCallback(
    (changed: INotebookSummary) => {
      setSummary(changed);
      onChanged();
    },
    [onChanged]
  );
  const star = useStar(
    summary ?? (initial as INotebookSummary),
    onStarred,
    setActionError
  );

  const run = async (name: string, action: () => Promise<void>) => {
    setBusy(name);
    setActionError(null);
    try {
      await action();
    } catch (error) {
      setActionError(error);
    } finally {
      setBusy(null);
    }
  };

  const openCopy = (version?: number) =>
    run('open', async () => {
      const path = await openGalleryCopy({
        app: env.app,
        docManager: env.docManager,
        id,
        version,
        folder: env.settings().workspaceFolder,
        translator: env.translator,
        summary: summary ?? undefined
      });
      if (path) {
        setStatus(trans.__('Opened %1', path));
      }
    });

  const diff = (before: number, after: number) =>
    run('diff', async () => {
      await showNotebookDiff(
        await diffOptionsOf(
          { kind: 'versions', id, before, after },
          {
            trans,
            translator: env.translator,
            notebookTitle: summary?.title ?? ''
          }
        )
      );
    });

  const remove = () =>
    run('delete', async () => {
      if (!summary) {
        return;
      }
      const result = await showDialog({
        title: trans.__('Delete from the gallery?'),
        body: trans.__(
          '"%1" and all its %2 versions will be deleted from the gallery for everyone. Local copies are kept. This cannot be undone.',
          summary.title,
          summary.version
        ),
        buttons: [
          Dialog.cancelButton(),
          Dialog.warnButton({ label: trans.__('Delete') })
        ],
        defaultButton: 0
      });
      if (!result.button.accept) {
        return;
      }
      await deleteNotebook(summary.id);
      onChanged();
      onDeleted();
    });

  if (!summary) {
    return (
      <div
        className="jp-Atrium-Gallery-detail"
        ref={root}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {summaryError !== null ? (
          <ErrorMessage
            error={summaryError}
            trans={trans}
            onRetry={() => setReload(n => n + 1)}
          />
        ) : (
          <Loading text={trans.__('Loading…')} />
        )}
      </div>
    );
  }

  return (
    <div
      className="jp-Atrium-Gallery-detail"
      ref={root}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      data-id={summary.id}
      aria-label={trans.__('Notebook "%1"', summary.title)}
      role="region"
    >
      <div className="jp-Atrium-Gallery-detailHead">
        <h3 className="jp-Atrium-Gallery-detailTitle">{summary.title}</h3>
        <StarButton
          stars={summary.stars}
          starred={summary.starred}
          busy={star.busy}
          title={summary.title}
          trans={trans}
          onToggle={star.toggle}
        />
      </div>
      <SummaryMeta summary={summary} user={user} trans={trans} />
      {summary.description && (
        <p className="jp-Atrium-Gallery-description">{summary.description}</p>
      )}
      {summary.tags.length > 0 && (
        <ul className="jp-Atrium-Gallery-tags" aria-label={trans.__('Tags')}>
          {summary.tags.map(tag => (
            <li key={tag} className="jp-Atrium-Gallery-tag">
              {tag}
            </li>
          ))}
        </ul>
      )}
      {summaryError !== null && (
        <ErrorMessage
          error={summaryError}
          trans={trans}
          onRetry={() => setReload(n => n + 1)}
        />
      )}
      <HealthSection
        id={summary.id}
        health={summary.health}
        version={summary.version}
        trans={trans}
      />
      <div
        className="jp-Atrium-Gallery-actions"
        role="toolbar"
        aria-label={trans.__('Notebook actions')}
      >
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept jp-Atrium-Gallery-openCopy"
          disabled={busy !== null}
          onClick={() => void openCopy(viewing ?? undefined)}
          title={trans.__(
            'Write a copy into your workspace folder (%1) and open it',
            env.settings().workspaceFolder || '/'
          )}
        >
          {viewing !== null && viewing !== summary.version
            ? trans.__('Open a copy of version %1', viewing)
            : trans.__('Open a copy')}
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-Atrium-Gallery-versionsButton"
          aria-pressed={mode === 'versions'}
          onClick={() => setMode(mode === 'versions' ? 'preview' : 'versions')}
        >
          {trans.__('Versions')}
        </button>
      </div>
      {actionError !== null && (
        <div className="jp-Atrium-Gallery-error" role="alert">
          <span className="jp-Atrium-Gallery-errorText">
            {errorText(actionError, trans)}
          </span>
        </div>
      )}
      <div className="jp-Atrium-Gallery-status" role="status">
        {status}
      </div>
      {mode === 'versions' && (
        <VersionsView
          summary={summary}
          trans={trans}
          viewing={viewing}
          onView={version => {
            setViewing(version === summary.version ? null : version);
            setMode('preview');
          }}
          onDiff={(before, after) => void diff(before, after)}
          onRestore={version => void openCopy(version)}
        />
      )}
      {mode === 'preview' && (
        <section
          className="jp-Atrium-Gallery-previewSection"
          aria-label={trans.__('Preview')}
        >
          {viewing !== null && (
            <div className="jp-Atrium-Gallery-viewing">
              {trans.__('Showing version %1 of %2.', viewing, summary.version)}{' '}
              <button
                type="button"
                className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-showLatest"
                onClick={() => setViewing(null)}
              >
                {trans.__('Show the latest version')}
              </button>
            </div>
          )}
          {content.state === 'loading' && (
            <Loading text={trans.__('Loading the preview…')} />
          )}
          {content.state === 'error' && (
            <ErrorMessage
              error={content.error}
              trans={trans}
              onRetry={() => setReload(n => n + 1)}
            />
          )}
          {content.state === 'done' && (
            <NotebookPreview
              notebook={content.value}
              rendermime={env.rendermime}
              trans={trans}
            />
          )}
        </section>
      )}
      {summary.canEdit && (
        <MoreActions trans={trans}>
          <p className="jp-Atrium-Gallery-moreActionsNote">
            {trans.__(
              'Deleting removes this notebook and all its versions from the gallery for everyone. Local copies are kept.'
            )}
          </p>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-warn jp-Atrium-Gallery-delete"
            disabled={busy !== null}
            onClick={() => void remove()}
          >
            {trans.__('Delete from gallery…')}
          </button>
        </MoreActions>
      )}
    </div>
  );
}

/**
 * Destructive and rarely used actions, folded away at the end of the page: far from
 * "Open a copy", so a slip of the pointer or of Tab and Enter cannot reach them.
 */
export function MoreActions(props: {
  trans: TranslationBundle;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <details className="jp-Atrium-Gallery-moreActions">
      <summary className="jp-Atrium-Gallery-moreActionsSummary">
        {props.trans.__('More actions')}
      </summary>
      <div className="jp-Atrium-Gallery-moreActionsBody">{props.children}</div>
    </details>
  );
}
