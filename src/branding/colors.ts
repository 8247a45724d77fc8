import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { isCustomProperty, isHexColor } from './policy';
import { IBrandNotice, ThemeKind } from './types';

/**
 * JupyterLab's theme manager writes `data-jp-theme-light` on <body> on every theme change
 * (apputils-extension:themes), and the themes declare their variables on `:root`. Rules on
 * `body[data-jp-theme-light=…]` therefore win for the whole page and follow theme changes
 * without any listener.
 */
const SELECTORS: Record<ThemeKind, string> = {
  light: "body[data-jp-theme-light='true']",
  dark: "body[data-jp-theme-light='false']"
};

function declarations(values: Record<string, string>): string {
  // Names and values are checked again right where they become CSS text: only
  // `--jp-…` names and hex colours, so nothing can close the rule or add one.
  return Object.entries(values)
    .filter(([name, value]) => isCustomProperty(name) && isHexColor(value))
    .map(([name, value]) => `  ${name}: ${value};\n`)
    .join('');
}

/**
 * The stylesheet text for the brand's colours (and the notice's own colours).
 */
export function buildColorCss(
  css: Record<ThemeKind, Record<string, string>>,
  notice: IBrandNotice['colors'] | null = null
): string {
  let text = '';
  for (const kind of ['light', 'dark'] as const) {
    const body = declarations(css[kind] ?? {});
    if (body) {
      text += `${SELECTORS[kind]} {\n${body}}\n`;
    }
  }
  if (notice) {
    const body = declarations({
      '--jp-atrium-notice-background': notice.background,
      '--jp-atrium-notice-color': notice.text
    });
    if (body) {
      text += `body {\n${body}}\n`;
    }
  }
  return text;
}

/**
 * Add the brand's stylesheet to the page; disposing removes it (stock colours again).
 */
export function injectColors(
  cssText: string,
  doc: Document = document
): IDisposable {
  const style = doc.createElement('style');
  style.dataset.atriumBranding = 'colors';
  style.textContent = cssText;
  doc.head.appendChild(style);
  // DisposableDelegate runs the undo once, however often dispose() is called.
  return new DisposableDelegate(() => {
    style.remove();
  });
}
