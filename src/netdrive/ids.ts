/*
 * What the plugin's definition and others need without loading the plugin's code.
 */

export const NETDRIVE_PLUGIN_ID = 'jupyterlab-atrium:netdrive';

export namespace CommandIDs {
  export const connect = 'atrium-netdrive:connect';
  export const openPanel = 'atrium-netdrive:open-panel';
  export const reconnectAll = 'atrium-netdrive:reconnect-all';
  export const open = 'atrium-netdrive:open';
  export const copyAcross = 'atrium-netdrive:copy-across';
  export const deletePermanently = 'atrium-netdrive:delete';
}

export const DRIVE_PREFIX = 'atrium-nd-';

/** The JupyterLab drive name of the Atrium drive `name` (paths read `atrium-nd-x:dir/f`). */
export function contentsDriveName(name: string): string {
  return `${DRIVE_PREFIX}${name}`;
}

/** The Atrium drive name inside a JupyterLab drive name, or null for other drives. */
export function atriumDriveName(driveName: string): string | null {
  return driveName.startsWith(DRIVE_PREFIX)
    ? driveName.slice(DRIVE_PREFIX.length)
    : null;
}
