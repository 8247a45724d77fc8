import { LabIcon } from '@jupyterlab/ui-components';

/**
 * The gallery's sidebar icon: a picture frame holding a notebook page. Drawn with the
 * `jp-icon3` class, so every theme colours it.
 */
export const galleryIcon = new LabIcon({
  name: 'jupyterlab-atrium:gallery',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<path d="M3 3h18v18H3V3zm2 2v14h14V5H5z"/>' +
    '<path d="M8 7h8v2H8V7zm0 4h8v2H8v-2zm0 4h5v2H8v-2z"/>' +
    '</g></svg>'
});

/** The sidebar panel's id: its tab exists from startup, before the panel's code loads. */
export const GALLERY_PANEL_ID = 'jp-Atrium-Gallery-panel';
