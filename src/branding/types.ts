/**
 * What the server publishes in `page_config_data["atrium"]["branding"]`: the admin's brand
 * spec, already validated, sanitised and resolved by the server
 * (`jupyterlab_atrium/branding/`). The frontend only applies it; it never fetches or parses
 * the spec itself.
 */

/**
 * One piece of the notice / login message, from the server's safe Markdown subset.
 * Rendered as DOM nodes (never as HTML strings).
 */
export type InlineToken =
  | { t: 'text'; v: string }
  | { t: 'strong' | 'em'; c: InlineToken[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: InlineToken[] };

export type ThemeKind = 'light' | 'dark';

export interface IBrandNotice {
  /** Stable id of the notice text (a hash): dismissals are remembered per id. */
  id: string;
  tokens: InlineToken[];
  /** The notice as plain text, for screen readers and the title attribute. */
  plain: string;
  level: 'info' | 'warning' | 'critical';
  dismissible: boolean;
  position: Array<'top' | 'bottom'>;
  /** Resolved colours (from the spec or derived from the level). */
  colors: { background: string; text: string };
}

export interface IBranding {
  name: string;
  /** Asset URLs relative to the server's base URL, e.g. `atrium/branding/assets/logo.svg?v=…`. */
  logo: { light: string; dark: string; href: string | null } | null;
  favicon: { idle: string; busy: string } | null;
  /** CSS custom properties per theme kind, e.g. `{"--jp-brand-color1": "#0b5394"}`. */
  css: Record<ThemeKind, Record<string, string>>;
  notice: IBrandNotice | null;
}

/**
 * The `branding` section of the Atrium policy: the applied branding, or why there is none.
 * `error` is set when the admin's spec is invalid: JupyterLab keeps its stock look.
 */
export interface IBrandingPolicy {
  enabled: boolean;
  branding: IBranding | null;
  error: string | null;
  /** WCAG AA contrast warnings for the admin (text/background below 4.5:1). */
  warnings: string[];
}
