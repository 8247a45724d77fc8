import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { aboutPlugin } from './about';
import { brandingPlugin } from './branding';
import { galleryPlugins } from './gallery';
import { graderPlugin } from './grader';
import { netdrivePlugins } from './netdrive';
import { telemetryPlugin } from './telemetry';

/**
 * The Atrium suite. Each plugin can be disabled on its own with
 * `jupyter labextension disable jupyterlab-atrium:<plugin>`.
 */
const plugins: JupyterFrontEndPlugin<unknown>[] = [
  aboutPlugin,
  brandingPlugin,
  ...galleryPlugins,
  graderPlugin,
  ...netdrivePlugins,
  telemetryPlugin
];

export default plugins;
