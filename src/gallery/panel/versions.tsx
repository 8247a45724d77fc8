import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { listVersions } from '../api';
import { INotebookSummary, IVersion } from '../types';
import { ErrorMessage, Loading, TimeText } from './common';

export interface IVersionsViewProps {
  summary: INotebookSummary;
  trans: TranslationBundle;
  /** The version being previewed, if any. */
  viewing: number | null;
  onView: (version: number) => void;
  onDiff: (before: number, after: number) => void;
  onRestore: (version: number) => void;
}

/**
 * A notebook's history: note, author and time of every version; view one, compare two (or
 * one with the latest), restore one as a local copy.
 */
export function VersionsView(props: IVersionsViewProps): JSX.Element {
  const { summary, trans, viewing, onView, onDiff, onRestore } = props;
  const [versions, setVersions] = React.useState<IVersion[] | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [reload, setReload] = React.useState(0);
  const [selected, setSelected] = React.useState<number[]>([]);

  React.useEffect(() => {
    let live = true;
    setError(null);
    setVersions(null);
    listVersions(summary.id)
      .then(items => live && setVersions(items))
      .catch(e => live && setError(e));
    return () => {
      live = false;
    };
  }, [summary.id, summary.version, reload]);

  if (error !== null) {
    return (
      <ErrorMessage
        error={error}
        trans={trans}
        onRetry={() => setReload(n => n + 1)}
      />
    );
  }
  if (versions === null) {
    return <Loading text={trans.__('Loading versions…')} />;
  }
  const latest = versions.reduce(
    (max, v) => Math.max(max, v.version),
    summary.version
  );
  const toggle = (version: number, on: boolean) => {
    setSelected(previous => {
      const rest = previous.filter(v => v !== version);
      // Keep the two most recently ticked.
      return on ? [...rest, version].slice(-2) : rest;
    });
  };
  const pair = [...selected].sort((a, b) => a - b);
  return (
    <div className="jp-Atrium-Gallery-versions">
      <div className="jp-Atrium-Gallery-versionsBar">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-Atrium-Gallery-compare"
          disabled={pair.length !== 2}
          onClick={() => onDiff(pair[0], pair[1])}
        >
          {trans.__('Compare selected')}
        </button>
        <span className="jp-Atrium-Gallery-hint">
          {trans.__('Tick two versions to compare them.')}
        </span>
      </div>
      <ol
        className="jp-Atrium-Gallery-versionList"
        aria-label={trans.__('Versions of "%1"', summary.title)}
      >
        {versions.map(v => (
          <li
            key={v.version}
            className={`jp-Atrium-Gallery-version${
              viewing === v.version ? ' jp-mod-active' : ''
            }`}
            data-version={v.version}
          >
            <div className="jp-Atrium-Gallery-versionHead">
              <label>
                <input
                  type="checkbox"
                  checked={selected.includes(v.version)}
                  onChange={event => toggle(v.version, event.target.checked)}
                  aria-label={trans.__('Select version %1', v.version)}
                />
                <strong>{trans.__('Version %1', v.version)}</strong>
              </label>
              {v.version === latest && (
                <span className="jp-Atrium-Gallery-badge jp-Atrium-Gallery-badge-latest">
                  {trans.__('latest')}
                </span>
              )}
            </div>
            <div className="jp-Atrium-Gallery-meta">
              <span className="jp-Atrium-Gallery-author">{v.author}</span>
              <TimeText value={v.createdAt} />
            </div>
            {v.note && <p className="jp-Atrium-Gallery-note">{v.note}</p>}
            <div className="jp-Atrium-Gallery-actions">
              <button
                type="button"
                className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-viewVersion"
                aria-label={trans.__('View version %1', v.version)}
                onClick={() => onView(v.version)}
              >
                {trans.__('View')}
              </button>
              {v.version !== latest && (
                <button
                  type="button"
                  className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-diffLatest"
                  aria-label={trans.__(
                    'Compare version %1 with the latest',
                    v.version
                  )}
                  onClick={() => onDiff(v.version, latest)}
                >
                  {trans.__('Diff with latest')}
                </button>
              )}
              <button
                type="button"
                className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-restore"
                aria-label={trans.__(
                  'Restore version %1 as a local copy',
                  v.version
                )}
                onClick={() => onRestore(v.version)}
              >
                {trans.__('Restore as local copy')}
              </button>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
