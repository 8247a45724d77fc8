import { JupyterFrontEnd } from '@jupyterlab/application';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { IGallerySettings } from '../types';

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
}
