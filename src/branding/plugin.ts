import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ITranslator } from '@jupyterlab/translation';
import { DisposableSet } from '@lumino/disposable';

import { readPolicy } from '../common/policy';
import { atriumBundle } from '../common/translation';
import { buildColorCss, injectColors } from './colors';
import { brandFavicons } from './favicon';
import { findStockLogo, replaceLogo } from './logo';
import { showNotice } from './notice';
import { activeBranding, assetUrl, readBrandingPolicy } from './policy';
import { keepBrandInTitle } from './title';
import { IBranding } from './types';

// Its CSS (style/branding.css) is in the style module that every page loads: its rules
// only match what this code adds, and importing it here would carry a second copy of the
// style loader in this chunk, which is on the first screen (issue 16).

/** What the running plugin changed, undone on deactivation. */
let applied: DisposableSet | null = null;

/**
 * Apply a validated branding to the page. Everything done is added to `applied`, so it
 * can be undone at any time — including parts that arrive later (logo, notice).
 */
function applyBranding(
  app: JupyterFrontEnd,
  branding: IBranding,
  translator: ITranslator | null,
  applied: DisposableSet
): void {
  const base = PageConfig.getBaseUrl();
  applied.add(
    injectColors(buildColorCss(branding.css, branding.notice?.colors ?? null))
  );
  applied.add(keepBrandInTitle(branding.name));
  if (branding.favicon) {
    applied.add(
      brandFavicons({
        idle: assetUrl(branding.favicon.idle, base),
        busy: assetUrl(branding.favicon.busy, base)
      })
    );
  }

  // Before the shell is in the page: it is then laid out once, already shortened by the
  // banners (see showNotice). React and the widget toolkit are the host's shared modules,
  // so the banner adds ~10 kB to this already-loaded chunk; a lazy chunk showed it a
  // median 0.2 s after the logo (one more request).
  if (branding.notice) {
    applied.add(
      showNotice(branding.notice, {
        shell: app.shell,
        shellAttached: app.started,
        trans: atriumBundle(translator)
      })
    );
  }

  // The logo is replaced in the shell before the shell is in the page when JupyterLab's
  // logo plugin has already added it, so the top bar is laid out once, with the brand's
  // logo; otherwise once the application has started, which is still before the splash
  // screen goes, so the stock logo is never seen.
  const logo = branding.logo;
  if (logo) {
    const placeLogo = (root: Document | HTMLElement): boolean => {
      const host = findStockLogo(root);
      if (host) {
        applied.add(
          replaceLogo(host, {
            light: assetUrl(logo.light, base),
            dark: assetUrl(logo.dark, base),
            href: logo.href,
            name: branding.name
          })
        );
      }
      return host !== null;
    };
    if (!placeLogo(app.shell.node)) {
      void app.started.then(() => {
        if (!applied.isDisposed) {
          placeLogo(document);
        }
      });
    }
  }
}

/** The plugin's activation, loaded by `index.ts` when the server published a brand. */
export function activate(
  app: JupyterFrontEnd,
  translator: ITranslator | null
): void {
  const policy = readPolicy();
  const brandingPolicy = readBrandingPolicy(policy);
  if (policy?.branding !== undefined && !brandingPolicy) {
    console.warn(
      'Atrium branding: the server published a branding section this page cannot read; keeping the stock look.'
    );
  }
  const branding = activeBranding(brandingPolicy);
  if (!branding) {
    return;
  }
  applied?.dispose();
  applied = new DisposableSet();
  applyBranding(app, branding, translator, applied);
}

/** Restores the stock look. */
export function deactivate(): void {
  applied?.dispose();
  applied = null;
}
