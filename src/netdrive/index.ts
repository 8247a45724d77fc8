import { JupyterFrontEndPlugin } from '@jupyterlab/application';

/**
 * The network-drive plugins (filled in by the netdrive feature).
 */
export const netdrivePlugins: JupyterFrontEndPlugin<unknown>[] = [];
