/*
 * What the plugins show before the layout is restored, in one chunk (issue 16): the brand,
 * and the gallery's and the network drives' sidebar tabs with their restorers. One chunk
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
