// What the first screen shows; the rest comes with the module that uses it (issue 16).
import './base.css';
import './branding.css';

/*
 * The first screen's code is asked for by the style module, and not waited for.
 * JupyterLab fetches every enabled extension's style module together with all
 * extensions' entry modules, before it starts any plugin, and never for a disabled
 * extension. Started here, the chunk arrives and its modules run while JupyterLab
 * fetches its settings, so the plugins' `import()` of it at activation finds it in
 * webpack's module cache; waited for here (a static import), it lengthened the phase
 * in which JupyterLab loads every extension's modules. A failure is the plugins' to
 * report, when their own `import()` of it fails.
 */
import('../lib/common/firstScreen').catch(() => undefined);
