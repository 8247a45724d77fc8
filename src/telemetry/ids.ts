export const PLUGIN_ID = 'jupyterlab-atrium:telemetry';

export const CommandIDs = {
  show: 'atrium-telemetry:show'
} as const;

export const PAGE_ID = 'jp-atrium-telemetry-page';
