import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  acceptChangeRequest,
  declineChangeRequest,
  listChangeRequests,
  withdrawChangeRequest
} from '../api';
import { showNotebookDiff } from '../diff';
import { diffOptionsOf } from '../diff/reopen';
import { ChangeRequestRole, IChangeRequest } from '../types';
import { Badge, ErrorMessage, Loading, TimeText, errorText } from './common';
import { IPanelEnv } from './env';

export interface IRequestList {
  items: IChangeRequest[] | null;
  error: unknown;
  reload: () => void;
}

/**
 * The change requests of one role (incoming: open ones; outgoing: all), fetched again when
 * `refreshKey` changes.
 */
export function useRequests(
  role: ChangeRequestRole,
  refreshKey: number
): IRequestList {
  const [items, setItems] = React.useState<IChangeRequest[] | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [reload, setReload] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    listChangeRequests(role, role === 'incoming' ? 'open' : 'all')
      .then(result => {
        if (live) {
          setItems(result);
          setError(null);
        }
      })
      .catch(e => {
        if (live) {
          setError(e);
        }
      });
    return () => {
      live = false;
    };
  }, [role, refreshKey, reload]);
  return {
    items,
    error,
    reload: React.useCallback(() => setReload(n => n + 1), [])
  };
}

function statusLabel(
  status: IChangeRequest['status'],
  trans: TranslationBundle
): string {
  switch (status) {
    case 'open':
      return trans.__('open');
    case 'accepted':
      return trans.__('accepted');
    case 'declined':
      return trans.__('declined');
    case 'withdrawn':
      return trans.__('withdrawn');
    default:
      return String(status);
  }
}

async function showRequestDiff(
  env: IPanelEnv,
  request: IChangeRequest
): Promise<void> {
  await showNotebookDiff(
    await diffOptionsOf(
      { kind: 'request', request: request.id },
      { trans: env.trans, translator: env.translator }
    )
  );
}

type Decision = 'accept' | 'decline' | 'withdraw';

interface IRequestItemProps {
  env: IPanelEnv;
  request: IChangeRequest;
  role: ChangeRequestRole;
  onOpenNotebook: (id: string) => void;
  onDecided: (request: IChangeRequest, message: string) => void;
}

function RequestItem(props: IRequestItemProps): JSX.Element {
  const { env, request, role, onOpenNotebook, onDecided } = props;
  const { trans } = env;
  const [form, setForm] = React.useState<Decision | null>(null);
  const [text, setText] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const textId = `jp-Atrium-Gallery-decision-${request.id}`;

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const decide = () =>
    act(async () => {
      const value = text.trim() || undefined;
      if (form === 'accept') {
        const result = await acceptChangeRequest(request.id, value);
        onDecided(
          result.changeRequest,
          trans.__(
            'Accepted: "%1" is now at version %2.',
            request.notebookTitle,
            result.notebook.version
          )
        );
      } else if (form === 'decline') {
        const result = await declineChangeRequest(request.id, value);
        onDecided(result, trans.__('Declined.'));
      } else if (form === 'withdraw') {
        const result = await withdrawChangeRequest(request.id);
        onDecided(result, trans.__('Withdrawn.'));
      }
      setForm(null);
      setText('');
    });

  const open = request.status === 'open';
  return (
    <li
      className="jp-Atrium-Gallery-request"
      data-id={request.id}
      data-status={request.status}
    >
      <div className="jp-Atrium-Gallery-requestHead">
        <button
          type="button"
          className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-requestTitle"
          title={trans.__('Show "%1"', request.notebookTitle)}
          onClick={() => onOpenNotebook(request.notebookId)}
        >
          {request.notebookTitle}
        </button>
        <Badge
          kind={`status-${request.status}`}
          label={statusLabel(request.status, trans)}
        />
      </div>
      <div className="jp-Atrium-Gallery-meta">
        <span className="jp-Atrium-Gallery-author">
          {role === 'incoming'
            ? trans.__('from %1', request.author)
            : trans.__('to the owner of "%1"', request.notebookTitle)}
        </span>
        <TimeText value={request.createdAt} />
        <span>{trans.__('based on version %1', request.baseVersion)}</span>
      </div>
      {request.comment && (
        <p className="jp-Atrium-Gallery-comment">{request.comment}</p>
      )}
      {!open && (
        <p className="jp-Atrium-Gallery-decision">
          {request.status === 'accepted' && request.resultVersion !== null
            ? trans.__(
                'Accepted by %1 as version %2.',
                request.decidedBy ?? '',
                request.resultVersion
              )
            : request.decidedBy
              ? trans.__(
                  '%1 by %2.',
                  statusLabel(request.status, trans),
                  request.decidedBy
                )
              : null}
          {request.decisionComment ? ` ${request.decisionComment}` : null}
        </p>
      )}
      <div className="jp-Atrium-Gallery-actions">
        <button
          type="button"
          className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-requestDiff"
          disabled={busy}
          onClick={() => void act(() => showRequestDiff(env, request))}
        >
          {trans.__('View changes')}
        </button>
        {open && role === 'incoming' && (
          <>
            <button
              type="button"
              className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-accept"
              aria-expanded={form === 'accept'}
              disabled={busy}
              onClick={() => setForm(form === 'accept' ? null : 'accept')}
            >
              {trans.__('Accept…')}
            </button>
            <button
              type="button"
              className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-decline"
              aria-expanded={form === 'decline'}
              disabled={busy}
              onClick={() => setForm(form === 'decline' ? null : 'decline')}
            >
              {trans.__('Decline…')}
            </button>
          </>
        )}
        {open && role === 'outgoing' && (
          <button
            type="button"
            className="jp-Atrium-Gallery-linkButton jp-Atrium-Gallery-withdraw"
            aria-expanded={form === 'withdraw'}
            disabled={busy}
            onClick={() => setForm(form === 'withdraw' ? null : 'withdraw')}
          >
            {trans.__('Withdraw…')}
          </button>
        )}
      </div>
      {form !== null && (
        <form
          className="jp-Atrium-Gallery-decisionForm"
          onSubmit={event => {
            event.preventDefault();
            void decide();
          }}
        >
          {form !== 'withdraw' ? (
            <>
              <label htmlFor={textId}>
                {form === 'accept'
                  ? trans.__('Version note (optional; the comment if empty)')
                  : trans.__('Comment for %1 (optional)', request.author)}
              </label>
              <textarea
                id={textId}
                className="jp-mod-styled jp-Atrium-Gallery-decisionText"
                value={text}
                rows={3}
                onChange={event => setText(event.target.value)}
              />
            </>
          ) : (
            <p>{trans.__('Withdraw this change request?')}</p>
          )}
          <div className="jp-Atrium-Gallery-formButtons">
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-reject"
              onClick={() => setForm(null)}
            >
              {trans.__('Cancel')}
            </button>
            <button
              type="submit"
              className={`jp-Button jp-mod-styled ${
                form === 'accept' ? 'jp-mod-accept' : 'jp-mod-warn'
              } jp-Atrium-Gallery-confirm`}
              disabled={busy}
            >
              {form === 'accept'
                ? trans.__('Accept and create a new version')
                : form === 'decline'
                  ? trans.__('Decline')
                  : trans.__('Withdraw')}
            </button>
          </div>
        </form>
      )}
      {error !== null && (
        <div className="jp-Atrium-Gallery-error" role="alert">
          <span className="jp-Atrium-Gallery-errorText">
            {errorText(error, trans)}
          </span>
        </div>
      )}
    </li>
  );
}

export interface IRequestsViewProps {
  env: IPanelEnv;
  role: ChangeRequestRole;
  list: IRequestList;
  onOpenNotebook: (id: string) => void;
  /** A request was decided here (the gallery changed). */
  onChanged: () => void;
}

/**
 * The inbox (open requests for the user's notebooks) or the sent requests.
 */
export function RequestsView(props: IRequestsViewProps): JSX.Element {
  const { env, role, list, onOpenNotebook, onChanged } = props;
  const { trans } = env;
  const [status, setStatus] = React.useState('');
  if (list.error !== null) {
    return (
      <ErrorMessage error={list.error} trans={trans} onRetry={list.reload} />
    );
  }
  if (list.items === null) {
    return <Loading text={trans.__('Loading change requests…')} />;
  }
  return (
    <div className={`jp-Atrium-Gallery-requests jp-Atrium-Gallery-${role}`}>
      <div className="jp-Atrium-Gallery-status" role="status">
        {status}
      </div>
      {list.items.length === 0 ? (
        <div className="jp-Atrium-Gallery-empty">
          {role === 'incoming'
            ? trans.__('No open change requests for your notebooks.')
            : trans.__('You have not sent any change requests.')}
        </div>
      ) : (
        <ul
          className="jp-Atrium-Gallery-requestList"
          aria-label={
            role === 'incoming'
              ? trans.__('Incoming change requests')
              : trans.__('Sent change requests')
          }
        >
          {list.items.map(request => (
            <RequestItem
              key={request.id}
              env={env}
              request={request}
              role={role}
              onOpenNotebook={onOpenNotebook}
              onDecided={(_, message) => {
                setStatus(message);
                onChanged();
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
