import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  deleteShare,
  findPrincipals,
  GalleryConflictError,
  getNotebook,
  getShares,
  patchNotebook,
  putShare
} from '../api';
import { currentInbox } from '../inbox/model';
import { ErrorMessage, errorText, Loading } from '../panel/common';
import type {
  IPrincipal,
  IShare,
  IShares,
  ShareAccess,
  ShareVisibility
} from '../sharingTypes';
import type { INotebookSummary } from '../types';
import { useModalDialog } from './modal';
import {
  moveActive,
  pickOnEnter,
  planShares,
  principalKey,
  rebaseShares,
  sameShares,
  withShare
} from './shareLogic';

import '../../../style/gallery-share.css';

/** Typing pauses this long before the pickers ask the service. */
const SEARCH_DEBOUNCE_MS = 250;

const VISIBILITIES: ShareVisibility[] = ['public', 'shared', 'private'];

export interface IShareControlProps {
  trans: TranslationBundle;
  /** The page's summary; null while it loads. */
  summary: INotebookSummary | null;
  /** Sharing or visibility changed: the page reads its summary again. */
  onSaved: () => void;
}

/**
 * The page's Share button, for those the service lets change sharing (the summary's
 * `canManage`: the owner, a member of the owning group, an admin), and its dialog.
 */
export function ShareControl(props: IShareControlProps): JSX.Element | null {
  const { trans, summary, onSaved } = props;
  const [open, setOpen] = React.useState(false);
  const button = React.useRef<HTMLButtonElement>(null);
  // types.ts predates sharing: the summary's `canManage` is read here.
  const canManage = (summary as { canManage?: unknown } | null)?.canManage;
  if (!summary || canManage !== true) {
    return null;
  }
  const close = (saved: boolean) => {
    setOpen(false);
    button.current?.focus();
    if (saved) {
      onSaved();
    }
  };
  return (
    <div className="jp-Atrium-GalleryShare-bar">
      <button
        ref={button}
        type="button"
        className="jp-Button jp-mod-styled jp-Atrium-GalleryShare-open"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {trans.__('Share…')}
      </button>
      {open && (
        <ShareDialog
          trans={trans}
          id={summary.id}
          title={summary.title}
          onClose={close}
        />
      )}
    </div>
  );
}

interface IShareDialogProps {
  trans: TranslationBundle;
  id: string;
  title: string;
  onClose: (saved: boolean) => void;
}

interface ILoaded {
  shares: IShares;
  etag: string;
}

function kindLabel(kind: IPrincipal['kind'], trans: TranslationBundle) {
  return kind === 'group' ? trans.__('group') : trans.__('user');
}

/**
 * The share dialog (a modal `<dialog>`): visibility, the shares with read or edit and
 * remove, a picker that finds users and groups as one types; saved through the shares
 * endpoint and the notebook's ETag.
 */
function ShareDialog(props: IShareDialogProps): JSX.Element {
  const { trans, id, title, onClose } = props;
  const dialog = useModalDialog();
  const [loaded, setLoaded] = React.useState<ILoaded | null>(null);
  const [loadError, setLoadError] = React.useState<unknown>(null);
  const [reload, setReload] = React.useState(0);
  const [visibility, setVisibility] = React.useState<ShareVisibility>('shared');
  const [draft, setDraft] = React.useState<IShare[]>([]);
  const [rowErrors, setRowErrors] = React.useState<Map<string, string>>(
    new Map()
  );
  const [saving, setSaving] = React.useState(false);
  const [saveError, setSaveError] = React.useState<unknown>(null);
  const [notice, setNotice] = React.useState('');
  const [saved, setSaved] = React.useState(false);

  React.useEffect(() => {
    let live = true;
    setLoadError(null);
    Promise.all([getShares(id), getNotebook(id)])
      .then(([shares, tagged]) => {
        if (!live || tagged === 'not-modified') {
          return;
        }
        setLoaded({ shares, etag: tagged.etag });
        setVisibility(shares.visibility);
        setDraft(shares.items);
      })
      .catch(error => live && setLoadError(error));
    return () => {
      live = false;
    };
  }, [id, reload]);

  const onCancel = (event: React.SyntheticEvent) => {
    event.preventDefault();
    if (!saving) {
      onClose(saved);
    }
  };

  const add = (principal: IPrincipal, access: ShareAccess) => {
    setDraft(list => withShare(list, principal, access));
    setNotice('');
  };
  const remove = (share: IShare) => {
    const key = principalKey(share);
    setDraft(list => list.filter(item => principalKey(item) !== key));
    setRowErrors(errors => {
      const next = new Map(errors);
      next.delete(key);
      return next;
    });
  };

  /** Someone changed sharing meanwhile: their changes, with this draft's on top. */
  const rebase = (current: IShares, etag: string) => {
    if (!loaded) {
      return;
    }
    setDraft(list => rebaseShares(loaded.shares.items, current.items, list));
    if (visibility === loaded.shares.visibility) {
      setVisibility(current.visibility);
    }
    setLoaded({ shares: current, etag });
  };

  const save = async () => {
    if (!loaded) {
      return;
    }
    setSaving(true);
    setSaveError(null);
    setNotice('');
    try {
      const [current, tagged] = await Promise.all([
        getShares(id),
        getNotebook(id)
      ]);
      const etag = tagged === 'not-modified' ? loaded.etag : tagged.etag;
      const base = loaded.shares;
      if (
        current.visibility !== base.visibility ||
        !sameShares(current.items, base.items)
      ) {
        rebase(current, etag);
        setNotice(
          trans.__(
            'Someone else changed the sharing of this notebook while this dialog was open. It now shows their changes with yours on top: check them and save again.'
          )
        );
        return;
      }
      let latest: IShares = current;
      let nextEtag = etag;
      if (visibility !== base.visibility) {
        try {
          nextEtag = (await patchNotebook(id, etag, { visibility })).etag;
        } catch (error) {
          if (!(error instanceof GalleryConflictError)) {
            throw error;
          }
          const again = await getNotebook(id);
          rebase(
            await getShares(id),
            again === 'not-modified' ? etag : again.etag
          );
          setNotice(
            trans.__(
              'This notebook changed while this dialog was open; nothing was saved. Check the settings and save again.'
            )
          );
          return;
        }
        latest = { ...latest, visibility };
        setSaved(true);
      }
      const plan = planShares(base.items, draft);
      const failures = new Map<string, string>();
      for (const share of plan.put) {
        try {
          latest = await putShare(id, share);
          setSaved(true);
        } catch (error) {
          failures.set(principalKey(share), errorText(error, trans));
        }
      }
      for (const principal of plan.remove) {
        try {
          latest = await deleteShare(id, principal);
          setSaved(true);
        } catch (error) {
          failures.set(principalKey(principal), errorText(error, trans));
        }
      }
      setRowErrors(failures);
      if (failures.size === 0) {
        onClose(true);
        // The people concerned are told by the service; the sharer's own inbox is
        // asked again so a share that concerns them too shows at once.
        void currentInbox()?.refresh();
        return;
      }
      // What was saved is the new base; what failed stays in the draft, marked.
      setLoaded({ shares: latest, etag: nextEtag });
      setVisibility(latest.visibility);
      setNotice(
        trans._n(
          'One change was not saved; see the message at its row.',
          '%1 changes were not saved; see the messages at their rows.',
          failures.size
        )
      );
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  const headingId = `jp-Atrium-GalleryShare-heading-${id}`;
  const dirty =
    loaded !== null &&
    (visibility !== loaded.shares.visibility ||
      !sameShares(draft, loaded.shares.items));
  const savedKeys = new Set(loaded?.shares.items.map(principalKey) ?? []);

  return (
    <dialog
      ref={dialog}
      className="jp-Atrium-GalleryShare-dialog"
      aria-labelledby={headingId}
      onCancel={onCancel}
    >
      <h2 id={headingId} className="jp-Atrium-GalleryShare-heading">
        {trans.__('Share "%1"', title)}
      </h2>
      {loaded === null && loadError === null && (
        <Loading text={trans.__('Loading the shares…')} />
      )}
      {loadError !== null && (
        <ErrorMessage
          error={loadError}
          trans={trans}
          onRetry={() => setReload(n => n + 1)}
        />
      )}
      {loaded !== null && (
        <>
          <p className="jp-Atrium-GalleryShare-owner">
            {loaded.shares.ownerKind === 'group'
              ? trans.__('Owned by the group %1', loaded.shares.owner)
              : trans.__('Owned by %1', loaded.shares.owner)}
          </p>
          <VisibilityChoice
            trans={trans}
            value={visibility}
            onChange={setVisibility}
          />
          <h3 className="jp-Atrium-GalleryShare-subheading">
            {trans.__('Shared with')}
          </h3>
          {draft.length === 0 ? (
            <p className="jp-Atrium-GalleryShare-none">
              {trans.__('Nobody yet.')}
            </p>
          ) : (
            <ul className="jp-Atrium-GalleryShare-list">
              {draft.map(share => (
                <ShareRow
                  key={principalKey(share)}
                  trans={trans}
                  share={share}
                  unsaved={!savedKeys.has(principalKey(share))}
                  error={rowErrors.get(principalKey(share)) ?? null}
                  onAccess={access => add(share, access)}
                  onRemove={() => remove(share)}
                />
              ))}
            </ul>
          )}
          <PrincipalPicker
            trans={trans}
            idPrefix={`jp-Atrium-GalleryShare-${id}`}
            onPick={add}
          />
        </>
      )}
      {notice && (
        <p className="jp-Atrium-GalleryShare-notice" role="alert">
          {notice}
        </p>
      )}
      {saveError !== null && <ErrorMessage error={saveError} trans={trans} />}
      <div className="jp-Atrium-GalleryShare-buttons">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject"
          disabled={saving}
          onClick={() => onClose(saved)}
        >
          {saved && !dirty ? trans.__('Close') : trans.__('Cancel')}
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept jp-Atrium-GalleryShare-save"
          disabled={saving || loaded === null || !dirty}
          onClick={() => void save()}
        >
          {saving ? trans.__('Saving…') : trans.__('Save')}
        </button>
      </div>
    </dialog>
  );
}

function VisibilityChoice(props: {
  trans: TranslationBundle;
  value: ShareVisibility;
  onChange: (value: ShareVisibility) => void;
}): JSX.Element {
  const { trans, value, onChange } = props;
  const label: Record<ShareVisibility, string> = {
    public: trans.__('Public'),
    shared: trans.__('Shared'),
    private: trans.__('Private')
  };
  const help: Record<ShareVisibility, string> = {
    public: trans.__(
      'Everyone in the gallery can read it; shares with edit let those people change it.'
    ),
    shared: trans.__('Only the owner and the people and groups below.'),
    private: trans.__(
      'Only the owner. The shares below are kept but give no access until it is shared again.'
    )
  };
  return (
    <fieldset className="jp-Atrium-GalleryShare-visibility">
      <legend>{trans.__('Who can see it')}</legend>
      {VISIBILITIES.map(option => (
        <label key={option} className="jp-Atrium-GalleryShare-visibilityOption">
          <input
            type="radio"
            name="jp-Atrium-GalleryShare-visibility"
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          <span className="jp-Atrium-GalleryShare-visibilityLabel">
            {label[option]}
          </span>
          <span className="jp-Atrium-GalleryShare-visibilityHelp">
            {help[option]}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function ShareRow(props: {
  trans: TranslationBundle;
  share: IShare;
  unsaved: boolean;
  error: string | null;
  onAccess: (access: ShareAccess) => void;
  onRemove: () => void;
}): JSX.Element {
  const { trans, share, unsaved, error, onAccess, onRemove } = props;
  return (
    <li
      className={`jp-Atrium-GalleryShare-row${error ? ' jp-mod-error' : ''}`}
      data-kind={share.kind}
      data-name={share.name}
    >
      <span className="jp-Atrium-GalleryShare-name">{share.name}</span>
      <span className="jp-Atrium-GalleryShare-kind">
        {kindLabel(share.kind, trans)}
        {unsaved && ` · ${trans.__('not saved yet')}`}
      </span>
      <select
        className="jp-Atrium-GalleryShare-access"
        aria-label={trans.__('Access of %1', share.name)}
        value={share.access}
        onChange={event => onAccess(event.target.value as ShareAccess)}
      >
        <option value="read">{trans.__('Can read')}</option>
        <option value="edit">{trans.__('Can edit')}</option>
      </select>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject jp-Atrium-GalleryShare-remove"
        aria-label={trans.__('Remove %1', share.name)}
        onClick={onRemove}
      >
        {trans.__('Remove')}
      </button>
      {error && (
        <span className="jp-Atrium-GalleryShare-rowError" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}

/**
 * Users and groups found as one types (ARIA combobox with a listbox): typing searches
 * after a pause, arrows move through the found names, Enter adds the chosen one with the
 * access beside it, Escape closes the list.
 */
function PrincipalPicker(props: {
  trans: TranslationBundle;
  idPrefix: string;
  onPick: (principal: IPrincipal, access: ShareAccess) => void;
}): JSX.Element {
  const { trans, idPrefix, onPick } = props;
  const [text, setText] = React.useState('');
  const [options, setOptions] = React.useState<IPrincipal[]>([]);
  const [active, setActive] = React.useState(-1);
  const [expanded, setExpanded] = React.useState(false);
  const [searching, setSearching] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const [access, setAccess] = React.useState<ShareAccess>('read');
  const inputId = `${idPrefix}-picker`;
  const listId = `${idPrefix}-options`;
  const optionId = (index: number) => `${idPrefix}-option-${index}`;

  React.useEffect(() => {
    const q = text.trim();
    if (!q) {
      setOptions([]);
      setExpanded(false);
      setSearching(false);
      return;
    }
    let live = true;
    setSearching(true);
    const timer = window.setTimeout(() => {
      findPrincipals(q)
        .then(found => {
          if (live) {
            setOptions(found);
            setActive(-1);
            setExpanded(true);
            setError(null);
          }
        })
        .catch(failure => live && setError(failure))
        .finally(() => live && setSearching(false));
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text]);

  const choose = (principal: IPrincipal) => {
    onPick(principal, access);
    setText('');
    setOptions([]);
    setExpanded(false);
    setActive(-1);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!expanded && options.length > 0) {
        setExpanded(true);
      }
      const next = moveActive(event.key, active, options.length);
      if (next !== null) {
        setActive(next);
      }
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const picked = pickOnEnter(text, expanded ? options : [], active);
      if (picked) {
        choose(picked);
      }
    } else if (event.key === 'Escape' && expanded) {
      // Closes the list, not the dialog.
      event.preventDefault();
      event.stopPropagation();
      setExpanded(false);
      setActive(-1);
    }
  };

  const showList = expanded && options.length > 0;
  let status = '';
  if (searching) {
    status = trans.__('Searching…');
  } else if (expanded) {
    status =
      options.length === 0
        ? trans.__(
            'No user or group matches; Enter adds "%1" as a user name.',
            text.trim()
          )
        : trans._n('%1 match', '%1 matches', options.length);
  }

  return (
    <div className="jp-Atrium-GalleryShare-picker">
      <label htmlFor={inputId} className="jp-Atrium-GalleryShare-pickerLabel">
        {trans.__('Add users or groups')}
      </label>
      <div className="jp-Atrium-GalleryShare-pickerRow">
        <div className="jp-Atrium-GalleryShare-combo">
          <input
            id={inputId}
            type="text"
            className="jp-mod-styled jp-Atrium-GalleryShare-input"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={listId}
            aria-activedescendant={
              showList && active >= 0 ? optionId(active) : undefined
            }
            autoComplete="off"
            spellCheck={false}
            placeholder={trans.__('Type a name')}
            value={text}
            onChange={event => setText(event.target.value)}
            onKeyDown={onKeyDown}
            onBlur={() => setExpanded(false)}
          />
          <ul
            id={listId}
            role="listbox"
            className="jp-Atrium-GalleryShare-options"
            aria-label={trans.__('Users and groups found')}
            hidden={!showList}
          >
            {options.map((option, index) => (
              <li
                key={principalKey(option)}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                className={`jp-Atrium-GalleryShare-option${
                  index === active ? ' jp-mod-active' : ''
                }`}
                data-kind={option.kind}
                // The input keeps the focus: a click must not blur it first.
                onMouseDown={event => event.preventDefault()}
                onClick={() => choose(option)}
              >
                <span className="jp-Atrium-GalleryShare-name">
                  {option.name}
                </span>
                <span className="jp-Atrium-GalleryShare-kind">
                  {kindLabel(option.kind, trans)}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <select
          className="jp-Atrium-GalleryShare-newAccess"
          aria-label={trans.__('Access of the added')}
          value={access}
          onChange={event => setAccess(event.target.value as ShareAccess)}
        >
          <option value="read">{trans.__('Can read')}</option>
          <option value="edit">{trans.__('Can edit')}</option>
        </select>
      </div>
      <div
        className="jp-Atrium-GalleryShare-pickerStatus"
        role="status"
        aria-live="polite"
      >
        {status}
      </div>
      {error !== null && <ErrorMessage error={error} trans={trans} />}
    </div>
  );
}
