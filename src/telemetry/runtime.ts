/*
 * What runs once a gallery notebook is open on a server whose policy accepts records:
 * the hook, the outbox, sending when the page is hidden, and the one-time notice.
 */

import { Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { NotebookActions } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { HEALTH_REPORTED_EVENT } from '../common/events';
import { benchSwitch } from './bench';
import { sendRecords } from './send';
import { Choice, isReporting, ITelemetryState } from './state';
import { ExecutionHook } from './hook';
import { Outbox } from './outbox';

export interface IRuntimeOptions {
  state: ITelemetryState;
  choice(): Choice;
  /** Set the user's choice (only offered where the policy lets users choose). */
  setChoice(choice: Choice): void;
  batchSize: number;
  flushIntervalMs: number;
  maxStored: number;
  trans: TranslationBundle;
  /** Opens the help page. */
  showPage(): void;
}

export interface ITelemetryRuntime {
  outbox: Outbox;
  state: ITelemetryState;
  reporting(): boolean;
  /** Call when the user's choice changed. */
  choiceChanged(): void;
  /** Emitted after the user's choice changed. */
  changed: ISignal<unknown, void>;
}

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The key of the "notice shown" flag: shown again if the policy changes. */
function noticeKey(state: ITelemetryState): string {
  return `atrium-telemetry:${PageConfig.getBaseUrl()}:noticed:${state.policy}`;
}

function notifyOnce(options: IRuntimeOptions): void {
  const storage = localStore();
  const key = noticeKey(options.state);
  try {
    if (!storage || storage.getItem(key)) {
      return;
    }
    storage.setItem(key, new Date().toISOString());
  } catch {
    return;
  }
  const { trans } = options;
  const actions: Notification.IAction[] = [
    {
      label: trans.__('What is sent'),
      caption: trans.__('Show the record format and your recent records'),
      callback: () => options.showPage()
    }
  ];
  if (options.state.userChoice) {
    actions.push({
      label: trans.__('Turn off'),
      caption: trans.__('Stop reporting from this browser profile'),
      displayType: 'link',
      callback: () => options.setChoice('no')
    });
  }
  Notification.info(
    trans.__(
      'For gallery notebooks, Atrium reports only whether each cell you run raised an error, never your code or outputs.'
    ),
    { autoClose: false, actions }
  );
}

export function createRuntime(options: IRuntimeOptions): ITelemetryRuntime {
  const reporting = () => isReporting(options.state, options.choice());
  let hook: ExecutionHook | null = null;
  const outbox = new Outbox({
    send: async (records, keepalive) => {
      await sendRecords(records, keepalive);
      // The gallery panel shows fresh badges (it listens; this plugin does not know it).
      window.dispatchEvent(new CustomEvent(HEALTH_REPORTED_EVENT));
    },
    storage: localStore(),
    storageKey: `atrium-telemetry:${PageConfig.getBaseUrl()}`,
    batchSize: options.batchSize,
    flushIntervalMs: options.flushIntervalMs,
    maxStored: options.maxStored,
    busy: () => hook?.busy ?? false,
    onOff: () => {
      // The admin turned the policy off since this page loaded: stop at once.
      console.warn('Atrium telemetry: the server no longer accepts records.');
      hook?.dispose();
      hook = null;
    }
  });
  const bench = benchSwitch(outbox);
  hook = new ExecutionHook({
    signals: NotebookActions,
    active: bench ? () => !bench.skip && reporting() : reporting,
    report: record => outbox.add(record),
    idle: () => outbox.idle()
  });

  // Hidden is the last moment a page is sure to see (mobile browsers and closed tabs
  // may never fire `unload`): send what is pending with `keepalive`.
  const hide = () => {
    if (document.visibilityState === 'hidden') {
      void outbox.flush(true);
    }
  };
  document.addEventListener('visibilitychange', hide);
  window.addEventListener('pagehide', () => {
    void outbox.flush(true);
    outbox.persistNow(true);
  });

  if (reporting()) {
    notifyOnce(options);
  }
  const changed = new Signal<unknown, void>(outbox);
  return {
    changed,
    outbox,
    state: options.state,
    reporting,
    choiceChanged: () => {
      if (reporting()) {
        notifyOnce(options);
      } else {
        // A user who says no means the records not yet sent too.
        outbox.withdraw();
      }
      changed.emit();
    }
  };
}
