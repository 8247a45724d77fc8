import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { netdriveIcon, PANEL_ID } from './icons';
import { isConnected, NetDriveManager } from './manager';
import { DriveState, IDriveInfo } from './types';

import '../../style/netdrive.css';

export { PANEL_ID } from './icons';

/** What the panel's buttons do; the plugin wires them to dialogs and the manager. */
export interface IPanelActions {
  connectNew(): void;
  connect(name: string): Promise<void>;
  disconnect(name: string): Promise<void>;
  forget(name: string): Promise<void>;
  open(name: string): void;
  reconnectAll(): Promise<void>;
  refresh(): Promise<void>;
}

function stateLabel(state: DriveState, trans: TranslationBundle): string {
  switch (state) {
    case 'connected':
      return trans.__('connected');
    case 'unreachable':
      return trans.__('unreachable');
    case 'disconnected':
      return trans.__('disconnected');
    case 'error':
      return trans.__('error');
  }
}

export interface IDriveRowProps {
  drive: IDriveInfo;
  busy: boolean;
  trans: TranslationBundle;
  run: (name: string, action: (name: string) => Promise<void> | void) => void;
  actions: IPanelActions;
}

/** One remembered drive: its name, address, state and what can be done with it. */
export function DriveRow(props: IDriveRowProps): JSX.Element {
  const { drive, trans, actions, busy, run } = props;
  const connected = isConnected(drive);
  const problem = drive.state === 'error' || drive.state === 'unreachable';
  const account = drive.domain
    ? `${drive.domain}\\${drive.username}`
    : drive.username;
  const headingId = `jp-Atrium-NetDrive-drive-${drive.name}`;
  return (
    <li
      className="jp-Atrium-NetDrive-drive"
      data-atrium-drive={drive.name}
      data-atrium-state={drive.state}
      aria-labelledby={headingId}
      aria-busy={busy}
    >
      <div className="jp-Atrium-NetDrive-driveHeader">
        <netdriveIcon.react tag="span" className="jp-Atrium-NetDrive-icon" />
        <span id={headingId} className="jp-Atrium-NetDrive-driveName">
          {drive.displayName}
        </span>
        <span
          className={`jp-Atrium-NetDrive-state jp-Atrium-NetDrive-state-${drive.state}`}
        >
          {stateLabel(drive.state, trans)}
          {drive.readOnly ? ` · ${trans.__('read-only')}` : ''}
        </span>
      </div>
      <div className="jp-Atrium-NetDrive-driveShare" title={drive.share}>
        {drive.share}
      </div>
      <div className="jp-Atrium-NetDrive-driveAccount">{account}</div>
      {problem && drive.error && (
        <div className="jp-Atrium-NetDrive-driveError" role="status">
          {drive.error}
        </div>
      )}
      {connected && (
        <div className="jp-Atrium-NetDrive-driveCode">
          {trans.__('In code:')} <code>{`netdrive://${drive.name}/`}</code>
          {drive.fuseMountPath ? (
            <>
              {' · '}
              {trans.__('folder:')} <code>{drive.fuseMountPath}</code>
            </>
          ) : null}
        </div>
      )}
      <div className="jp-Atrium-NetDrive-driveActions">
        {connected ? (
          <>
            <button
              className="jp-mod-styled jp-mod-accept"
              data-atrium-action="open"
              disabled={busy}
              onClick={() => run(drive.name, actions.open)}
            >
              {trans.__('Open')}
            </button>
            <button
              className="jp-mod-styled"
              data-atrium-action="disconnect"
              disabled={busy}
              onClick={() => run(drive.name, actions.disconnect)}
            >
              {trans.__('Disconnect')}
            </button>
          </>
        ) : (
          <button
            className="jp-mod-styled jp-mod-accept"
            data-atrium-action="connect"
            disabled={busy}
            onClick={() => run(drive.name, actions.connect)}
          >
            {trans.__('Connect…')}
          </button>
        )}
        <button
          className="jp-mod-styled jp-mod-warn"
          data-atrium-action="forget"
          disabled={busy}
          onClick={() => run(drive.name, actions.forget)}
          aria-label={trans.__('Forget %1', drive.displayName)}
        >
          {trans.__('Forget…')}
        </button>
      </div>
    </li>
  );
}

export interface IDriveListProps {
  manager: NetDriveManager;
  busy: ReadonlySet<string>;
  trans: TranslationBundle;
  actions: IPanelActions;
  run: (name: string, action: (name: string) => Promise<void> | void) => void;
  describe: (error: unknown) => string;
}

/** The panel's content for the manager's current state. */
export function DriveList(props: IDriveListProps): JSX.Element {
  const { manager, trans, actions, busy } = props;
  const drives = manager.drives;
  const disconnected = drives.some(d => !isConnected(d));
  return (
    <div className="jp-Atrium-NetDrive-panelContent">
      <div className="jp-Atrium-NetDrive-toolbar">
        <button
          className="jp-mod-styled jp-mod-accept"
          data-atrium-action="connect-new"
          onClick={() => actions.connectNew()}
        >
          {trans.__('Connect a drive…')}
        </button>
        <button
          className="jp-mod-styled"
          data-atrium-action="reconnect-all"
          disabled={!disconnected || busy.has('*')}
          onClick={() => props.run('*', () => actions.reconnectAll())}
        >
          {trans.__('Reconnect all…')}
        </button>
      </div>
      {manager.loadError !== null && (
        <div className="jp-Atrium-NetDrive-formError" role="alert">
          {trans.__(
            'Could not list your network drives: %1',
            props.describe(manager.loadError)
          )}{' '}
          <button
            className="jp-mod-styled"
            data-atrium-action="refresh"
            onClick={() => void actions.refresh().catch(() => undefined)}
          >
            {trans.__('Retry')}
          </button>
        </div>
      )}
      {manager.loaded && drives.length === 0 && (
        <p className="jp-Atrium-NetDrive-empty">
          {trans.__(
            'No network drives yet. Connect a Windows or Samba share to work on its files here and read them from your notebooks.'
          )}
        </p>
      )}
      {drives.length > 0 && (
        <ul
          className="jp-Atrium-NetDrive-list"
          aria-label={trans.__('Network drives')}
        >
          {drives.map(drive => (
            <DriveRow
              key={drive.name}
              drive={drive}
              busy={busy.has(drive.name) || busy.has('*')}
              trans={trans}
              actions={actions}
              run={props.run}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The "Network Drives" sidebar: remembered drives with their state, and connect,
 * disconnect, forget, open and "reconnect all".
 */
export class NetDrivePanel extends ReactWidget {
  constructor(options: {
    manager: NetDriveManager;
    trans: TranslationBundle;
    actions: IPanelActions;
    describe: (error: unknown) => string;
  }) {
    super();
    this.id = PANEL_ID;
    this.addClass('jp-Atrium-NetDrive-panel');
    this.title.icon = netdriveIcon;
    this.title.caption = options.trans.__('Network Drives');
    this._options = options;
  }

  render(): JSX.Element {
    const { manager, trans } = this._options;
    return (
      <section
        className="jp-Atrium-NetDrive-section"
        aria-label={trans.__('Network Drives')}
      >
        <h2 className="jp-Atrium-NetDrive-title">
          {trans.__('Network Drives')}
        </h2>
        <UseSignal signal={manager.changed}>
          {() => (
            <DriveList
              manager={manager}
              busy={this._busy}
              trans={trans}
              actions={this._options.actions}
              describe={this._options.describe}
              run={(name, action) => this._run(name, action)}
            />
          )}
        </UseSignal>
      </section>
    );
  }

  private _run(
    name: string,
    action: (name: string) => Promise<void> | void
  ): void {
    this._busy = new Set([...this._busy, name]);
    this.update();
    void Promise.resolve()
      .then(() => action(name))
      .catch(error => console.error('Atrium network drives:', error))
      .finally(() => {
        const next = new Set(this._busy);
        next.delete(name);
        this._busy = next;
        this.update();
      });
  }

  private _busy: ReadonlySet<string> = new Set();
  private _options: {
    manager: NetDriveManager;
    trans: TranslationBundle;
    actions: IPanelActions;
    describe: (error: unknown) => string;
  };
}
