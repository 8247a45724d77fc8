/*
 * What the plugins show before the layout is restored, in one chunk (issue 16): the brand,
 * the gallery's and the network drives' sidebar tabs, and what the layout restorer must be
 * given before it runs (the grader's gradebook tabs and Exercises panel). The style module
 * (style/index.js) asks for it without waiting, so it is fetched and run while JupyterLab
 * starts, and only when Atrium is enabled; each plugin's `import()` of it then resolves
 * from webpack's module cache, with no round trip in the middle of activation. What each
 * part needs after that still loads on its own, after `app.restored`.
 */
export {
  activate as activateBranding,
  deactivate as deactivateBranding
} from '../branding/plugin';
export { start as startGallery } from '../gallery/start';
export { start as startNetdrive } from '../netdrive/start';
export { registerRestorable as registerGraderRestorable } from '../grader/restore';
