import { ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { IDeprecation } from './deprecationTypes';

import '../../style/gallery-deprecation.css';

/*
 * What readers see of a deprecated notebook: the banner (on its page and on a linked local
 * copy), the "deprecated" badge in results, and the search's offer to show deprecated
 * notebooks when they were all it found (docs/gallery.md, "Deprecated notebooks").
 */

export interface IDeprecatedBannerProps {
  deprecation: IDeprecation;
  trans: TranslationBundle;
  /** Opens the page of an alternative. */
  onOpen: (id: string) => void;
  /** On a local copy the banner says "the gallery notebook", not "this notebook". */
  copy?: boolean;
}

/**
 * "Deprecated: use … instead", with the reason, the alternatives as links to their pages,
 * and what the freeze means. Only the alternatives the reader may read arrive here.
 */
export function DeprecatedBanner(props: IDeprecatedBannerProps): JSX.Element {
  const { deprecation, trans, onOpen, copy } = props;
  const alternatives = deprecation.alternatives;
  const links = alternatives.map((alternative, index) => (
    <React.Fragment key={alternative.id}>
      {index > 0 &&
        (index === alternatives.length - 1 ? trans.__(' or ') : trans.__(', '))}
      <button
        type="button"
        className="jp-Atrium-Gallery-linkButton jp-Atrium-GalleryDeprecated-alternative"
        onClick={() => onOpen(alternative.id)}
      >
        {alternative.title}
      </button>
    </React.Fragment>
  ));
  return (
    <div
      className="jp-Atrium-GalleryDeprecated-banner"
      role="status"
      data-frozen={deprecation.frozen ? 'true' : 'false'}
    >
      <p className="jp-Atrium-GalleryDeprecated-headline">
        <strong>
          {copy
            ? trans.__(
                'The gallery notebook this copy comes from is deprecated.'
              )
            : trans.__('Deprecated.')}
        </strong>{' '}
        {alternatives.length > 0 && (
          <span className="jp-Atrium-GalleryDeprecated-use">
            {trans.__('Use')} {links} {trans.__('instead.')}
          </span>
        )}
      </p>
      {deprecation.reason && (
        <p className="jp-Atrium-GalleryDeprecated-reason">
          {deprecation.reason}
        </p>
      )}
      {deprecation.frozen && (
        <p className="jp-Atrium-GalleryDeprecated-frozen">
          {trans.__(
            'Frozen: it can no longer be copied, downloaded or updated, except by its editors.'
          )}
        </p>
      )}
    </div>
  );
}

/**
 * "deprecated" next to a result that is (shown only when the search includes them).
 */
export function DeprecatedBadge(props: {
  deprecation: IDeprecation | null | undefined;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { deprecation, trans } = props;
  if (!deprecation) {
    return null;
  }
  return (
    <span
      className="jp-Atrium-GalleryDeprecated-badge"
      title={deprecation.reason}
    >
      {deprecation.frozen
        ? trans.__('deprecated, frozen')
        : trans.__('deprecated')}
    </span>
  );
}

/**
 * The offer a search makes when only deprecated notebooks matched (nbgallery showed
 * nothing, its #487).
 */
export function ShowDeprecated(props: {
  count: number;
  trans: TranslationBundle;
  onShow: () => void;
}): JSX.Element | null {
  const { count, trans, onShow } = props;
  if (count <= 0) {
    return null;
  }
  return (
    <button
      type="button"
      className="jp-Button jp-mod-styled jp-Atrium-GalleryDeprecated-show"
      onClick={onShow}
    >
      {trans._n(
        'Show %1 deprecated notebook',
        'Show %1 deprecated notebooks',
        count
      )}
    </button>
  );
}

/**
 * The banner on a notebook linked to a deprecated gallery notebook, in the notebook's
 * content header (deprecationWatch.ts adds it once the sync's summary says so).
 */
export class DeprecatedCopyBanner extends ReactWidget {
  constructor(
    private _deprecation: IDeprecation,
    private readonly _trans: TranslationBundle,
    private readonly _onOpen: (id: string) => void
  ) {
    super();
    this.addClass('jp-Atrium-GalleryDeprecated-copyBanner');
    this.node.dataset.testid = 'atrium-gallery-deprecated-copy';
  }

  set deprecation(value: IDeprecation) {
    this._deprecation = value;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <DeprecatedBanner
        deprecation={this._deprecation}
        trans={this._trans}
        onOpen={this._onOpen}
        copy
      />
    );
  }
}
