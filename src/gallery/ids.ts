/*
 * What the plugin's definition and others need without loading the plugin's code.
 */

export const GALLERY_PLUGIN_ID = 'jupyterlab-atrium:gallery';

export namespace CommandIDs {
  export const publish = 'atrium-gallery:publish';
  export const update = 'atrium-gallery:update';
  export const changeRequest = 'atrium-gallery:change-request';
  export const fork = 'atrium-gallery:fork';
  export const unlink = 'atrium-gallery:unlink';
  export const check = 'atrium-gallery:check';
  export const openPanel = 'atrium-gallery:open-panel';
  export const reviewQueue = 'atrium-gallery:review-queue';
  export const diff = 'atrium-gallery:diff';
  export const openGalleryVersion = 'atrium-gallery:open-gallery-version';
}
