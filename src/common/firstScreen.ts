/*
 * What the plugins show before the layout is restored, in one chunk (issue 16): the brand,
 * the gallery's and the network drives' sidebar tabs, and what the layout restorer must be
 * given before it runs (the grader's gradebook tabs and Exercises panel). One chunk
 * is one request and one resolution of the host's shared modules on the way to the first
 * screen, instead of one per plugin. The brand, which waits for no other plugin, asks for
 * it first, so it is in when the plugins that wait for the file browser and the notebook
 * tracker activate late in JupyterLab's start-up, and their activation costs no round
 * trip. What each part needs after that still loads on its own, after `app.restored`.
 */
export {
  activate as activateBranding,
  deactivate as deactivateBranding
} from '../branding/plugin';
export { start as startGallery } from '../gallery/start';
export { start as startNetdrive } from '../netdrive/start';
export { registerRestorable as registerGraderRestorable } from '../grader/restore';
