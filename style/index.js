// What the first screen shows; the rest comes with the module that uses it (issue 16).
import './base.css';
import './branding.css';

/*
 * The first screen's code rides with the style module. JupyterLab fetches every enabled
 * extension's style module together with all extensions' entry modules, before it starts
 * any plugin, and never for a disabled extension; the plugins' `import()` of this module
 * then resolves from webpack's module cache instead of a round trip in the middle of
 * activation, which `app.restored` waits for. Exported so that nothing prunes it.
 */
export * as firstScreen from '../lib/common/firstScreen';
