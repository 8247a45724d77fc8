import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { aboutPlugin } from './about';
import { brandingPlugin } from './branding';

/**
 * The Atrium suite. Each plugin can be disabled on its own with
 * `jupyter labextension disable jupyterlab-atrium:<plugin>`.
 */
const plugins: JupyterFrontEndPlugin<unknown>[] = [aboutPlugin, brandingPlugin];

export default plugins;
