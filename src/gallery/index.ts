import { JupyterFrontEndPlugin } from '@jupyterlab/application';

/**
 * The gallery plugins (filled in by the gallery feature).
 */
export const galleryPlugins: JupyterFrontEndPlugin<unknown>[] = [];
