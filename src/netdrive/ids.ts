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
}
