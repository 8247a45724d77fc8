/*
 * Help > What Atrium Reports: the policy in force, the user's choice, the exact record
 * format, and the records this browser sent or holds, as they were sent.
 */

import { MainAreaWidget, ReactWidget, UseSignal } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import '../../style/telemetry.css';

import { HeldRecords } from './held';
import { Choice, policySentence } from './state';
import { IRecent, Outbox } from './outbox';
import { ITelemetryRecord, RECORD_KEYS } from './record';
import type { ITelemetryRuntime } from './runtime';
import { IThrottledSignal, throttledSignal } from './throttled';

/** How often, at most, the list of records is drawn again while cells run. */
const REDRAW_MS = 500;

export interface IPageOptions {
  runtime: ITelemetryRuntime;
  choice(): Choice;
  setChoice(choice: Choice): void;
  trans: TranslationBundle;
}

function fieldDescriptions(
  trans: TranslationBundle
): Record<keyof ITelemetryRecord, string> {
  return {
    notebookId: trans.__('the gallery id of the notebook'),
    version: trans.__('the gallery version your copy came from'),
    cellId: trans.__('the id of the cell within the notebook'),
    fingerprint: trans.__(
      "SHA-256 of the cell's source; the service stores only a keyed hash of it, and never the source"
    ),
    success: trans.__(
      'true, false, or "expected" (a cell tagged raises-exception that raised)'
    ),
    durationMs: trans.__('how long the cell ran, in milliseconds'),
    timestamp: trans.__("when it finished, by this computer's clock"),
    eventId: trans.__('a random id, so that a record sent twice counts once')
  };
}

function stateLabel(state: IRecent['state'], trans: TranslationBundle) {
  switch (state) {
    case 'sent':
      return trans.__('sent');
    case 'pending':
      return trans.__('waiting to be sent');
    default:
      return trans.__('not sent');
  }
}

function Records(props: { outbox: Outbox; trans: TranslationBundle }) {
  const { outbox, trans } = props;
  const recent = [...outbox.recent].reverse();
  const dropped = outbox.dropped;
  return (
    <>
      <p>
        {trans.__(
          '%1 record(s) waiting to be sent. Dropped unsent: %2 because the browser held too many while the server was away, %3 refused by the server.',
          outbox.pending.length,
          dropped.full,
          dropped.refused
        )}
      </p>
      {recent.length === 0 ? (
        <p>{trans.__('This browser has not recorded any cell run yet.')}</p>
      ) : (
        <table className="jp-AtriumTelemetry-records">
          <caption>
            {trans.__(
              'The newest records of this browser, exactly as they are sent'
            )}
          </caption>
          <thead>
            <tr>
              <th scope="col">{trans.__('State')}</th>
              <th scope="col">{trans.__('Record')}</th>
            </tr>
          </thead>
          <tbody>
            {recent.map(item => (
              <tr key={item.record.eventId}>
                <td>{stateLabel(item.state, trans)}</td>
                <td>
                  <code>{JSON.stringify(item.record)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Page(props: IPageOptions & { recordsChanged: IThrottledSignal }) {
  const { runtime, trans } = props;
  const fields = fieldDescriptions(trans);
  const state = runtime.state;
  return (
    <div className="jp-AtriumTelemetry-page">
      <h1>{trans.__('What Atrium reports about the cells you run')}</h1>
      <p>
        {trans.__(
          'For notebooks opened from the gallery, each time a code cell finishes, this browser records whether it raised an error, and sends the records in batches to your Jupyter server, which checks them and passes them on to the gallery. The gallery turns them into the notebook’s health. Notebooks not from the gallery are never reported. Your code, outputs, error names, messages and tracebacks are never part of a record, and no record names you: the gallery keys your user name with a secret before storing anything.'
        )}
      </p>
      <h2>{trans.__('Your choice')}</h2>
      <p>{policySentence(state, trans)}</p>
      <UseSignal signal={runtime.changed}>
        {() => (
          <p aria-live="polite">
            {runtime.reporting()
              ? trans.__('This browser reports your cell runs.')
              : trans.__('This browser does not report your cell runs.')}
          </p>
        )}
      </UseSignal>
      {state.userChoice && (
        <p>
          <label>
            {trans.__('Report cell runs')}{' '}
            <select
              defaultValue={props.choice()}
              onChange={event =>
                props.setChoice(event.currentTarget.value as Choice)
              }
            >
              <option value="default">
                {state.defaultOn
                  ? trans.__('Policy default (yes)')
                  : trans.__('Policy default (no)')}
              </option>
              <option value="yes">{trans.__('Yes')}</option>
              <option value="no">{trans.__('No')}</option>
            </select>
          </label>
        </p>
      )}
      <h2>{trans.__('What one record holds, and nothing else')}</h2>
      <table className="jp-AtriumTelemetry-fields">
        <thead>
          <tr>
            <th scope="col">{trans.__('Field')}</th>
            <th scope="col">{trans.__('Meaning')}</th>
          </tr>
        </thead>
        <tbody>
          {RECORD_KEYS.map(key => (
            <tr key={key}>
              <td>
                <code>{key}</code>
              </td>
              <td>{fields[key]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{trans.__('Your recent records in this browser')}</h2>
      <UseSignal signal={props.recordsChanged.signal}>
        {() => <Records outbox={runtime.outbox} trans={trans} />}
      </UseSignal>
      <HeldRecords trans={trans} />
    </div>
  );
}

export function createTelemetryPage(options: IPageOptions): MainAreaWidget {
  const recordsChanged = throttledSignal(
    options.runtime.outbox.changed,
    REDRAW_MS
  );
  const content = ReactWidget.create(
    <Page {...options} recordsChanged={recordsChanged} />
  );
  content.addClass('jp-AtriumTelemetry-content');
  const widget = new MainAreaWidget({ content });
  widget.title.label = options.trans.__('What Atrium Reports');
  widget.disposed.connect(() => recordsChanged.dispose());
  return widget;
}
