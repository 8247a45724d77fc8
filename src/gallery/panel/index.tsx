import { JupyterFrontEnd } from '@jupyterlab/application';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { atriumBundle } from '../../common/translation';
import { IGallerySettings, INotebookSummary } from '../types';
import { IPanelEnv } from './env';
import type { IPrefetchedPage } from './prefetch';
import { galleryIcon, GALLERY_PANEL_ID } from './icon';
import { GalleryPanelView } from './panel';

import '../../../style/gallery-panel.css';

export { galleryIcon, GALLERY_PANEL_ID } from './icon';

export interface IGalleryPanelOptions {
  app: JupyterFrontEnd;
  docManager: IDocumentManager;
  rendermime: IRenderMimeRegistry;
  translator: ITranslator;
  settings: () => IGallerySettings;
  /** The first page of results, asked for while the panel's code loaded. */
  firstPage?: IPrefetchedPage | null;
  /** Opens a notebook's page (a document in the main area). */
  openNotebook: (id: string, initial: INotebookSummary | null) => void;
}

/**
 * The gallery sidebar widget. Lists are fetched again each time it is shown.
 */
export class GalleryPanel extends ReactWidget {
  constructor(options: IGalleryPanelOptions) {
    super();
    const trans = atriumBundle(options.translator);
    this._env = { ...options, trans };
    this._openNotebook = options.openNotebook;
    this.id = GALLERY_PANEL_ID;
    this.addClass('jp-Atrium-Gallery-panel');
    this.title.icon = galleryIcon;
    this.title.caption = trans.__('Notebook gallery');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Notebook gallery'));
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._activation++;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <GalleryPanelView
        env={this._env}
        activation={this._activation}
        openNotebook={this._openNotebook}
      />
    );
  }

  private readonly _env: IPanelEnv;
  private readonly _openNotebook: IGalleryPanelOptions['openNotebook'];
  private _activation = 0;
}

/**
 * The gallery's left-sidebar panel (the plugin adds it to the left area).
 */
export function createGalleryPanel(options: IGalleryPanelOptions): Widget {
  return new GalleryPanel(options);
}
