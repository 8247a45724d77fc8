import { JupyterFrontEnd } from '@jupyterlab/application';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { IGallerySettings } from '../types';
import type { IPrefetchedPage } from './prefetch';

/**
 * What the panel's components need from JupyterLab.
 */
export interface IPanelEnv {
  app: JupyterFrontEnd;
  docManager: IDocumentManager;
  rendermime: IRenderMimeRegistry;
  translator: ITranslator;
  trans: TranslationBundle;
  settings: () => IGallerySettings;
  /** The first page of results, asked for while the panel's code loaded. */
  firstPage?: IPrefetchedPage | null;
}
