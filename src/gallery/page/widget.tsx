import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { atriumBundle } from '../../common/translation';
import { getPolicy } from '../api';
import { NotebookDetail } from '../panel/detail';
import { IPanelEnv } from '../panel/env';
import { galleryIcon } from '../panel/icon';
import { IGallerySettings, INotebookSummary } from '../types';
import type { IReview } from '../reviewTypes';
import { OPEN_PAGE_COMMAND, PAGE_SECTION_EVENT, pageArgs } from './args';
import { DeprecationSection } from './deprecation';
import { announce, FOCUS_RESULT_EVENT, GALLERY_CHANGED_EVENT } from './events';
import { ReviewDecided, ReviewsSection } from './reviews';
import { ShareControl } from './share';

import '../../../style/gallery-panel.css';
import '../../../style/gallery-page.css';

export interface IGalleryPageOptions {
  app: JupyterFrontEnd;
  docManager: IDocumentManager;
  rendermime: IRenderMimeRegistry;
  translator: ITranslator;
  settings: () => IGallerySettings;
  id: string;
  /** What the result list knew, shown until the notebook's own summary arrives. */
  initial: INotebookSummary | null;
}

const DETAIL = '.jp-Atrium-Gallery-detail';

/**
 * The content of a notebook's page: its summary, preview, versions, health and actions.
 */
class GalleryPageContent extends ReactWidget {
  constructor(
    private readonly _env: IPanelEnv,
    private readonly _options: IGalleryPageOptions,
    private readonly _close: () => void,
    private readonly _setTitle: (summary: INotebookSummary) => void
  ) {
    super();
    this.addClass('jp-Atrium-GalleryPage-content');
    this.node.tabIndex = -1;
  }

  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    // Into the page, unless the focus already is somewhere in it (the Reviews heading,
    // when the page was opened at that section).
    const detail = this.node.querySelector<HTMLElement>(DETAIL);
    const active = document.activeElement;
    if (detail && (active === this.node || !this.node.contains(active))) {
      detail.focus();
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    // The open command names a section on the page's own node (`register.ts`).
    this._page = this.parent?.node ?? null;
    this._page?.addEventListener(PAGE_SECTION_EVENT, this._onSection);
  }

  protected onBeforeDetach(msg: Message): void {
    this._page?.removeEventListener(PAGE_SECTION_EVENT, this._onSection);
    this._page = null;
    super.onBeforeDetach(msg);
  }

  private readonly _onSection = (event: Event) => {
    if ((event as CustomEvent<unknown>).detail === 'reviews') {
      this._reveal++;
      this.update();
    }
  };

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // Shown again: the summary is read again (health, stars may have changed).
    if (this._shown) {
      this._activation++;
      this.update();
    }
    this._shown = true;
  }

  protected render(): JSX.Element {
    return (
      <GalleryPage
        env={this._env}
        id={this._options.id}
        initial={this._options.initial}
        activation={this._activation}
        reveal={this._reveal}
        onDeleted={this._close}
        onSummary={this._setTitle}
      />
    );
  }

  private _activation = 0;
  private _reveal = 0;
  private _page: HTMLElement | null = null;
  private _shown = false;
}

export interface IGalleryPageProps {
  env: IPanelEnv;
  id: string;
  initial: INotebookSummary | null;
  /** Changes when the page is shown again. */
  activation: number;
  /** Grows when the page is opened at its Reviews section. */
  reveal?: number;
  onDeleted: () => void;
  onSummary: (summary: INotebookSummary) => void;
}

/**
 * A notebook's page: the detail, with what connects it to the gallery panel (Escape,
 * changed lists).
 */
export function GalleryPage(props: IGalleryPageProps): JSX.Element {
  const { env, id, initial, activation, reveal, onDeleted, onSummary } = props;
  const [user, setUser] = React.useState<string | null>(null);
  React.useEffect(() => {
    let live = true;
    getPolicy()
      .then(policy => live && setUser(policy.user))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const onChanged = React.useCallback(
    () => announce(GALLERY_CHANGED_EVENT, id),
    [id]
  );
  const onBack = React.useCallback(
    () => announce(FOCUS_RESULT_EVENT, id),
    [id]
  );
  // The share dialog reads the summary the detail loads, and has it read again on save.
  const [summary, setSummary] = React.useState(initial);
  const [shared, setShared] = React.useState(0);
  // A reviewer's decision ended their access: the page shows it and reads nothing more.
  const [decided, setDecided] = React.useState<IReview | null>(null);
  const onAccessEnded = React.useCallback(
    (review: IReview) => {
      setDecided(review);
      onChanged();
    },
    [onChanged]
  );
  if (decided) {
    return (
      <ReviewDecided
        review={decided}
        summary={summary}
        trans={env.trans}
        onClose={onDeleted}
      />
    );
  }
  return (
    <>
      {/* The page's own actions in one row at its top, with a deprecation banner
          under them (style/gallery-page.css). */}
      <div className="jp-Atrium-GalleryPage-toolbar">
        <DeprecationSection
          trans={env.trans}
          summary={summary}
          onOpen={other =>
            void env.app.commands.execute(OPEN_PAGE_COMMAND, pageArgs(other))
          }
          onChanged={() => {
            setShared(n => n + 1);
            onChanged();
          }}
        />
        <ShareControl
          trans={env.trans}
          summary={summary}
          onSaved={() => {
            setShared(n => n + 1);
            onChanged();
          }}
        />
      </div>
      <NotebookDetail
        env={env}
        id={id}
        initial={initial}
        user={user}
        activation={activation + shared}
        onBack={onBack}
        onChanged={onChanged}
        onDeleted={onDeleted}
        onSummary={s => {
          setSummary(s);
          onSummary(s);
        }}
      />
      <ReviewsSection
        trans={env.trans}
        summary={summary}
        reveal={reveal}
        onAccessEnded={onAccessEnded}
        onChanged={() => {
          setShared(n => n + 1);
          onChanged();
        }}
      />
    </>
  );
}

/**
 * A gallery notebook's page, a document in the main area titled with the notebook's title.
 */
export function createGalleryPage(
  options: IGalleryPageOptions
): MainAreaWidget {
  const trans = atriumBundle(options.translator);
  const env: IPanelEnv = { ...options, trans };
  let widget: MainAreaWidget | null = null;
  const content = new GalleryPageContent(
    env,
    options,
    () => widget?.dispose(),
    summary => {
      if (widget) {
        widget.title.label = summary.title;
        widget.title.caption = trans.__('Gallery notebook "%1"', summary.title);
      }
    }
  );
  widget = new MainAreaWidget({ content });
  widget.addClass('jp-Atrium-GalleryPage');
  widget.title.icon = galleryIcon;
  widget.title.closable = true;
  widget.title.label = options.initial?.title ?? trans.__('Gallery notebook');
  return widget;
}
