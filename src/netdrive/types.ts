/**
 * Wire types of the network-drive REST API (`/atrium/api/netdrive/`), as the server
 * extension publishes them. The server enforces everything; the frontend only adapts.
 */

/**
 * `unreachable`: connected, but its server stopped answering (a call hit the server's
 * deadline); the server checks it and reports `connected` once it answers again.
 */
export type DriveState = 'connected' | 'unreachable' | 'disconnected' | 'error';

export interface IDriveInfo {
  /** Slug, `^[a-z0-9][a-z0-9_-]{0,31}$`, unique per user. */
  name: string;
  displayName: string;
  /** Normalised `\\server\share\folder`. */
  share: string;
  server: string;
  shareName: string;
  /** '' or 'a/b'. */
  folder: string;
  domain: string;
  username: string;
  readOnly: boolean;
  state: DriveState;
  error?: string;
  fuseMountPath?: string | null;
}

export interface INetDrivePolicy {
  /** Patterns (`*`, `?`); empty: any server. */
  allowedServers: string[];
  defaultDomain: string;
  maxDrives: number;
  fuseEnabled: boolean;
  readOnlyDefault: boolean;
}

/** `POST netdrive/drives`. The password is sent once and never kept by the frontend. */
export interface IConnectRequest {
  share: string;
  domain: string;
  username: string;
  password: string;
  displayName: string;
  readOnly: boolean;
  name?: string;
}

/** The user's settings of the plugin (`schema/netdrive.json`). */
export interface INetDriveSettings {
  showInFileBrowserToolbar: boolean;
  openFileBrowserOnConnect: boolean;
  refreshIntervalSeconds: number;
}

export const DEFAULT_SETTINGS: INetDriveSettings = {
  showInFileBrowserToolbar: true,
  openFileBrowserOnConnect: true,
  refreshIntervalSeconds: 30
};

/** The `reason` values the connect endpoints answer with. */
export type ConnectFailure =
  | 'invalid-share'
  | 'invalid-field'
  | 'bad-credentials'
  | 'share-not-found'
  | 'access-denied'
  | 'not-allowed'
  | 'too-many-drives'
  | 'name-taken'
  | 'unreachable'
  | 'smb-error';
