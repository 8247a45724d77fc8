import { LabIcon } from '@jupyterlab/ui-components';

/** A network drive: a disk with a cable, in the theme's icon colour. */
const NETDRIVE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M4 3h16a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm0 2v7h16V5H4zm12 2.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z"/>
    <path d="M11 14h2v3h3a1 1 0 0 1 1 1h5v2h-5a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1H2v-2h5a1 1 0 0 1 1-1h3v-3z"/>
  </g>
</svg>`;

export const netdriveIcon = new LabIcon({
  name: 'jupyterlab-atrium:netdrive',
  svgstr: NETDRIVE_SVG
});

/** The sidebar panel's id: its tab exists from startup, before the panel's code loads. */
export const PANEL_ID = 'jp-Atrium-NetDrive-panel';
