/*
 * "What the gallery holds about you": the caller's own records as the service stores them
 * (`GET service/health/executions`), from every browser they used, for the window. The
 * browser's own list shows what this browser sent; this one shows what arrived.
 */

import { Button } from '@jupyterlab/ui-components';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { describeError, requestAPI } from '../common/request';

export interface IHeldRecord {
  notebookId: string;
  version: number;
  cellId: string;
  success: boolean | 'expected';
  durationMs: number;
  timestamp: string;
  receivedAt: string;
  eventId: string;
}

export interface IHeldRecords {
  total: number;
  windowDays: number;
  items: IHeldRecord[];
}

export const HELD_LIMIT = 50;

export function getHeldRecords(limit = HELD_LIMIT): Promise<IHeldRecords> {
  return requestAPI<IHeldRecords>(`service/health/executions?limit=${limit}`);
}

function outcome(success: IHeldRecord['success'], trans: TranslationBundle) {
  if (success === 'expected') {
    return trans.__('raised, as expected');
  }
  return success ? trans.__('ran without error') : trans.__('raised an error');
}

type State =
  | { state: 'loading' }
  | { state: 'done'; reply: IHeldRecords }
  | { state: 'error'; error: unknown };

export function HeldRecords(props: {
  trans: TranslationBundle;
  load?: () => Promise<IHeldRecords>;
}): JSX.Element {
  const { trans } = props;
  const load = props.load ?? getHeldRecords;
  const [held, setHeld] = React.useState<State>({ state: 'loading' });
  const [round, setRound] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    setHeld({ state: 'loading' });
    load()
      .then(reply => live && setHeld({ state: 'done', reply }))
      .catch(error => live && setHeld({ state: 'error', error }));
    return () => {
      live = false;
    };
  }, [round]);
  return (
    <section
      className="jp-AtriumTelemetry-held"
      aria-label={trans.__('What the gallery holds about you')}
      aria-busy={held.state === 'loading'}
    >
      <h2>{trans.__('What the gallery holds about you')}</h2>
      {held.state === 'loading' && <p>{trans.__('Loading…')}</p>}
      {held.state === 'error' && (
        <p role="alert">
          {trans.__(
            'The gallery’s records could not be read: %1',
            describeError(held.error, trans)
          )}
        </p>
      )}
      {held.state === 'done' && (
        <>
          <p>
            {trans.__(
              'The gallery holds %1 record(s) of your cell runs from the last %2 days, from every browser you used, without your user name (it is keyed) or the cells’ fingerprints. They are deleted after %2 days; an administrator can erase them all at your request.',
              held.reply.total,
              held.reply.windowDays
            )}
          </p>
          {held.reply.items.length > 0 && (
            <table className="jp-AtriumTelemetry-heldRecords">
              <caption>
                {trans.__(
                  'Your %1 newest records, as the gallery stores them',
                  held.reply.items.length
                )}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{trans.__('Finished')}</th>
                  <th scope="col">{trans.__('Notebook, version, cell')}</th>
                  <th scope="col">{trans.__('Outcome')}</th>
                  <th scope="col">{trans.__('Duration')}</th>
                </tr>
              </thead>
              <tbody>
                {held.reply.items.map(item => (
                  <tr key={item.eventId}>
                    <td>{item.timestamp}</td>
                    <td>
                      <code>
                        {item.notebookId} v{item.version} {item.cellId}
                      </code>
                    </td>
                    <td>{outcome(item.success, trans)}</td>
                    <td>{trans.__('%1 ms', item.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <Button
        onClick={() => setRound(n => n + 1)}
        disabled={held.state === 'loading'}
      >
        {trans.__('Read again')}
      </Button>
    </section>
  );
}
