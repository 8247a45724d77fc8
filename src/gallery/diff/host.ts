import type { JupyterFrontEnd } from '@jupyterlab/application';

/*
 * The application the diff opens its tabs in. The gallery plugin sets it when it starts,
 * so the flows and panels keep calling `showNotebookDiff(options)` as before; without it
 * (tests, a shell that was never set) the diff is shown in a dialog.
 */

let host: JupyterFrontEnd | null = null;

export function setDiffHost(app: JupyterFrontEnd | null): void {
  host = app;
}

export function diffHost(): JupyterFrontEnd | null {
  return host;
}
