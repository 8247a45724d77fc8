import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  deprecateNotebook,
  getNotebook,
  searchNotebooks,
  undeprecateNotebook
} from '../api';
import { DeprecatedBanner } from '../deprecated';
import type { IAlternative } from '../deprecationTypes';
import { ErrorMessage } from '../panel/common';
import type { INotebookSummary } from '../types';
import { useModalDialog } from './modal';

/** Typing pauses this long before the alternatives picker asks the service. */
const SEARCH_DEBOUNCE_MS = 250;
/** The service takes at most this many alternatives (deprecation.py). */
const MAX_ALTERNATIVES = 10;
const MAX_REASON = 2000;

export interface IDeprecationSectionProps {
  trans: TranslationBundle;
  /** The page's summary; null while it loads. */
  summary: INotebookSummary | null;
  /** Opens the page of another gallery notebook (an alternative). */
  onOpen: (id: string) => void;
  /** Deprecated or undeprecated: the page reads its summary again. */
  onChanged: () => void;
}

/**
 * The page's deprecation: the banner for every reader of a deprecated notebook, and for
 * those the service lets (the summary's `canDeprecate`) Deprecate…, Edit deprecation… and
 * Undeprecate.
 */
export function DeprecationSection(
  props: IDeprecationSectionProps
): JSX.Element | null {
  const { trans, summary, onOpen, onChanged } = props;
  const [open, setOpen] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const button = React.useRef<HTMLButtonElement>(null);
  if (!summary) {
    return null;
  }
  const deprecation = summary.deprecation ?? null;
  const canDeprecate = summary.canDeprecate === true;
  if (!deprecation && !canDeprecate) {
    return null;
  }
  const undeprecate = async () => {
    setBusy(true);
    setError(null);
    try {
      const current = await getNotebook(summary.id);
      if (current !== 'not-modified') {
        await undeprecateNotebook(summary.id, current.etag);
      }
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const close = (saved: boolean) => {
    setOpen(false);
    button.current?.focus();
    if (saved) {
      onChanged();
    }
  };
  return (
    <div className="jp-Atrium-GalleryDeprecated-section">
      {deprecation && (
        <DeprecatedBanner
          deprecation={deprecation}
          trans={trans}
          onOpen={onOpen}
        />
      )}
      {canDeprecate && (
        <div className="jp-Atrium-GalleryDeprecated-actions">
          <button
            ref={button}
            type="button"
            className="jp-Button jp-mod-styled jp-Atrium-GalleryDeprecated-open"
            aria-haspopup="dialog"
            disabled={busy}
            onClick={() => setOpen(true)}
          >
            {deprecation
              ? trans.__('Edit deprecation…')
              : trans.__('Deprecate…')}
          </button>
          {deprecation && (
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-Atrium-GalleryDeprecated-undo"
              disabled={busy}
              onClick={() => void undeprecate()}
            >
              {busy ? trans.__('Undeprecating…') : trans.__('Undeprecate')}
            </button>
          )}
        </div>
      )}
      {error !== null && <ErrorMessage error={error} trans={trans} />}
      {open && (
        <DeprecateDialog trans={trans} summary={summary} onClose={close} />
      )}
    </div>
  );
}

interface IDeprecateDialogProps {
  trans: TranslationBundle;
  summary: INotebookSummary;
  onClose: (saved: boolean) => void;
}

/**
 * The deprecate dialog (a modal `<dialog>`): the reason, alternatives found as one types,
 * and the freeze; saved with the notebook's current ETag.
 */
function DeprecateDialog(props: IDeprecateDialogProps): JSX.Element {
  const { trans, summary, onClose } = props;
  const dialog = useModalDialog();
  const current = summary.deprecation ?? null;
  const [reason, setReason] = React.useState(current?.reason ?? '');
  const [chosen, setChosen] = React.useState<IAlternative[]>(
    current?.alternatives ?? []
  );
  const [freeze, setFreeze] = React.useState(current?.frozen ?? false);
  const [saving, setSaving] = React.useState(false);
  const [saveError, setSaveError] = React.useState<unknown>(null);

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const latest = await getNotebook(summary.id);
      if (latest === 'not-modified') {
        return;
      }
      await deprecateNotebook(summary.id, latest.etag, {
        reason: reason.trim(),
        alternatives: chosen.map(alternative => alternative.id),
        freeze
      });
      onClose(true);
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  const headingId = `jp-Atrium-GalleryDeprecated-heading-${summary.id}`;
  const reasonId = `jp-Atrium-GalleryDeprecated-reason-${summary.id}`;
  return (
    <dialog
      ref={dialog}
      className="jp-Atrium-GalleryDeprecated-dialog"
      aria-labelledby={headingId}
      onCancel={event => {
        event.preventDefault();
        if (!saving) {
          onClose(false);
        }
      }}
    >
      <h2 id={headingId} className="jp-Atrium-GalleryDeprecated-heading">
        {trans.__('Deprecate "%1"', summary.title)}
      </h2>
      <label htmlFor={reasonId} className="jp-Atrium-GalleryDeprecated-label">
        {trans.__('Why is it deprecated?')}
      </label>
      <textarea
        id={reasonId}
        className="jp-Atrium-GalleryDeprecated-reasonInput"
        value={reason}
        maxLength={MAX_REASON}
        rows={3}
        onChange={event => setReason(event.target.value)}
      />
      <AlternativesPicker
        trans={trans}
        self={summary.id}
        chosen={chosen}
        onChange={setChosen}
      />
      <label className="jp-Atrium-GalleryDeprecated-freeze">
        <input
          type="checkbox"
          checked={freeze}
          onChange={event => setFreeze(event.target.checked)}
        />
        {trans.__('Freeze')}
        <span className="jp-Atrium-GalleryDeprecated-help">
          {trans.__(
            'The gallery then refuses copies, downloads, new versions and change requests; its editors can still read it and undeprecate it.'
          )}
        </span>
      </label>
      {saveError !== null && <ErrorMessage error={saveError} trans={trans} />}
      <div className="jp-Atrium-GalleryDeprecated-buttons">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject"
          disabled={saving}
          onClick={() => onClose(false)}
        >
          {trans.__('Cancel')}
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-warn jp-Atrium-GalleryDeprecated-save"
          disabled={saving || reason.trim() === ''}
          onClick={() => void save()}
        >
          {saving ? trans.__('Saving…') : trans.__('Deprecate')}
        </button>
      </div>
    </dialog>
  );
}

/**
 * Alternatives: chosen ones with Remove, and a search field that lists matching gallery
 * notebooks as one types (never the notebook itself, nbgallery #958).
 */
function AlternativesPicker(props: {
  trans: TranslationBundle;
  self: string;
  chosen: IAlternative[];
  onChange: (chosen: IAlternative[]) => void;
}): JSX.Element {
  const { trans, self, chosen, onChange } = props;
  const [text, setText] = React.useState('');
  const [found, setFound] = React.useState<IAlternative[] | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const inputId = `jp-Atrium-GalleryDeprecated-find-${self}`;

  React.useEffect(() => {
    const q = text.trim();
    if (!q) {
      setFound(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      searchNotebooks({ q, perPage: 8 })
        .then(page => {
          if (live) {
            setError(null);
            setFound(
              page.items.map(item => ({ id: item.id, title: item.title }))
            );
          }
        })
        .catch(e => live && setError(e));
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);

  const taken = new Set([self, ...chosen.map(c => c.id)]);
  const offered = (found ?? []).filter(item => !taken.has(item.id));
  const full = chosen.length >= MAX_ALTERNATIVES;
  return (
    <fieldset className="jp-Atrium-GalleryDeprecated-alternatives">
      <legend>{trans.__('Use instead')}</legend>
      {chosen.length === 0 ? (
        <p className="jp-Atrium-GalleryDeprecated-none">
          {trans.__('No alternatives yet.')}
        </p>
      ) : (
        <ul className="jp-Atrium-GalleryDeprecated-chosen">
          {chosen.map(alternative => (
            <li key={alternative.id}>
              <span>{alternative.title}</span>{' '}
              <button
                type="button"
                className="jp-Atrium-Gallery-linkButton"
                aria-label={trans.__('Remove "%1"', alternative.title)}
                onClick={() =>
                  onChange(chosen.filter(c => c.id !== alternative.id))
                }
              >
                {trans.__('Remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={inputId} className="jp-Atrium-GalleryDeprecated-label">
        {trans.__('Find a notebook')}
      </label>
      <input
        id={inputId}
        type="search"
        className="jp-Atrium-GalleryDeprecated-find"
        value={text}
        disabled={full}
        placeholder={
          full
            ? trans.__('At most %1 alternatives', MAX_ALTERNATIVES)
            : trans.__('Title or words')
        }
        onChange={event => setText(event.target.value)}
      />
      {error !== null && <ErrorMessage error={error} trans={trans} />}
      {found !== null && error === null && offered.length === 0 && (
        <p className="jp-Atrium-GalleryDeprecated-none" role="status">
          {trans.__('No other notebook matches.')}
        </p>
      )}
      {offered.length > 0 && (
        <ul
          className="jp-Atrium-GalleryDeprecated-found"
          aria-label={trans.__('Matching notebooks')}
        >
          {offered.map(item => (
            <li key={item.id}>
              <button
                type="button"
                className="jp-Atrium-Gallery-linkButton jp-Atrium-GalleryDeprecated-pick"
                disabled={full}
                onClick={() => {
                  onChange([...chosen, item]);
                  setText('');
                }}
              >
                {trans.__('Add "%1"', item.title)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
