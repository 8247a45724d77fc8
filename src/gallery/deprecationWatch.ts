import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import type { DeprecatedCopyBanner } from './deprecated';
import type { GallerySync } from './sync';

/**
 * Show a banner on a linked notebook while its gallery notebook is deprecated. The sync's
 * checks already bring the summary (with its `deprecation`), so nothing more is asked of
 * the service; the banner's code loads only when a deprecated notebook is open.
 */
export function watchDeprecation(
  panel: NotebookPanel,
  sync: GallerySync,
  trans: TranslationBundle,
  onOpen: (id: string) => void
): IDisposable {
  let banner: DeprecatedCopyBanner | null = null;
  let loading = false;
  const onChanged = () => {
    const link = sync.link;
    const summary = sync.summary;
    const deprecation =
      link && summary && summary.id === link.id
        ? (summary.deprecation ?? null)
        : null;
    if (deprecation === null) {
      banner?.dispose();
      banner = null;
      return;
    }
    if (banner) {
      banner.deprecation = deprecation;
      return;
    }
    if (loading) {
      return;
    }
    loading = true;
    import('./deprecated')
      .then(({ DeprecatedCopyBanner }) => {
        loading = false;
        if (panel.isDisposed || banner) {
          return;
        }
        banner = new DeprecatedCopyBanner(deprecation, trans, onOpen);
        panel.contentHeader.addWidget(banner);
        onChanged(); // the deprecation may have changed (or ended) meanwhile
      })
      .catch(error => {
        loading = false;
        console.warn(
          'Atrium gallery: the deprecation banner did not load',
          error
        );
      });
  };
  sync.changed.connect(onChanged);
  onChanged();
  return new DisposableDelegate(() => {
    sync.changed.disconnect(onChanged);
    banner?.dispose();
    banner = null;
  });
}
