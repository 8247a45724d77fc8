import { IAtriumPolicy, readPolicy } from '../common/policy';
import {
  IBranding,
  IBrandingPolicy,
  IBrandNotice,
  InlineToken,
  ThemeKind
} from './types';

/**
 * The published branding is validated again here although the server already did: the
 * values end up in a stylesheet, in `href`s and in the DOM, so a stale or tampered page
 * config must not be able to inject anything. Anything malformed means no branding at all
 * (the stock look), never half of it.
 */

export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** Only JupyterLab-style custom properties: no `;`, `}`, spaces or comments can slip in. */
export const CSS_CUSTOM_PROPERTY = /^--jp-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A public asset of the brand, relative to the server's base URL. */
const ASSET_PATH =
  /^atrium\/branding\/assets\/[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\?v=[A-Za-z0-9_.-]+)?$/;

/** The brand spec's URL rule (https, http on localhost, or a path on this server). */
const SAFE_URL =
  /^(?:https:\/\/[^\s"'<>\\]+|http:\/\/(?:localhost|127\.0\.0\.1)(?::[0-9]+)?(?:\/[^\s"'<>\\]*)?|\/(?![/\\])[^\s"'<>\\]*)$/;

const MAX_TOKENS = 500;
const MAX_DEPTH = 6;
const MAX_PROPERTIES = 64;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, max = 2000): value is string {
  return typeof value === 'string' && value.length <= max;
}

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

export function isCustomProperty(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 64 &&
    CSS_CUSTOM_PROPERTY.test(value)
  );
}

/**
 * Whether a link target may go into an `href`: `javascript:`, `data:`, protocol-relative
 * (`//host`, `/\host`) and anything with spaces or quotes are refused.
 */
export function isSafeHref(value: unknown): value is string {
  return isString(value, 500) && SAFE_URL.test(value);
}

export function isAssetPath(value: unknown): value is string {
  return isString(value, 300) && ASSET_PATH.test(value);
}

function parseTokens(
  value: unknown,
  budget: { left: number },
  depth: number,
  inLink: boolean
): InlineToken[] | null {
  if (!Array.isArray(value) || depth > MAX_DEPTH) {
    return null;
  }
  const tokens: InlineToken[] = [];
  for (const raw of value) {
    if (!isRecord(raw) || --budget.left < 0) {
      return null;
    }
    switch (raw.t) {
      case 'text':
      case 'code':
        if (!isString(raw.v)) {
          return null;
        }
        tokens.push({ t: raw.t, v: raw.v });
        break;
      case 'strong':
      case 'em': {
        const c = parseTokens(raw.c, budget, depth + 1, inLink);
        if (!c) {
          return null;
        }
        tokens.push({ t: raw.t, c });
        break;
      }
      case 'link': {
        // A link inside a link is invalid HTML and never produced by the server.
        if (inLink || !isSafeHref(raw.href)) {
          return null;
        }
        const c = parseTokens(raw.c, budget, depth + 1, true);
        if (!c) {
          return null;
        }
        tokens.push({ t: 'link', href: raw.href, c });
        break;
      }
      default:
        return null;
    }
  }
  return tokens;
}

/**
 * Validate the inline tokens of a notice or message; null when anything is off.
 */
export function parseInlineTokens(value: unknown): InlineToken[] | null {
  return parseTokens(value, { left: MAX_TOKENS }, 0, false);
}

function parseNotice(value: unknown): IBrandNotice | null {
  if (!isRecord(value)) {
    return null;
  }
  const { id, tokens, plain, level, dismissible, position, colors } = value;
  const parsedTokens = parseInlineTokens(tokens);
  if (
    typeof id !== 'string' ||
    !/^[A-Za-z0-9_-]{1,64}$/.test(id) ||
    !parsedTokens ||
    !isString(plain) ||
    (level !== 'info' && level !== 'warning' && level !== 'critical') ||
    typeof dismissible !== 'boolean' ||
    !Array.isArray(position) ||
    position.length < 1 ||
    position.length > 2 ||
    !position.every(p => p === 'top' || p === 'bottom') ||
    new Set(position).size !== position.length ||
    !isRecord(colors) ||
    !isHexColor(colors.background) ||
    !isHexColor(colors.text)
  ) {
    return null;
  }
  return {
    id,
    tokens: parsedTokens,
    plain,
    level,
    dismissible,
    position: position as Array<'top' | 'bottom'>,
    colors: { background: colors.background, text: colors.text }
  };
}

function parsePalette(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) {
    return null;
  }
  const entries = Object.entries(value);
  if (
    entries.length > MAX_PROPERTIES ||
    !entries.every(
      ([name, color]) => isCustomProperty(name) && isHexColor(color)
    )
  ) {
    return null;
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseBranding(value: unknown): IBranding | null {
  if (!isRecord(value)) {
    return null;
  }
  const { name, logo, favicon, css, notice } = value;
  if (typeof name !== 'string' || !name.trim() || name.length > 200) {
    return null;
  }
  let parsedLogo: IBranding['logo'] = null;
  if (logo !== null) {
    if (
      !isRecord(logo) ||
      !isAssetPath(logo.light) ||
      !isAssetPath(logo.dark) ||
      !(logo.href === null || isSafeHref(logo.href))
    ) {
      return null;
    }
    parsedLogo = { light: logo.light, dark: logo.dark, href: logo.href };
  }
  let parsedFavicon: IBranding['favicon'] = null;
  if (favicon !== null) {
    if (
      !isRecord(favicon) ||
      !isAssetPath(favicon.idle) ||
      !isAssetPath(favicon.busy)
    ) {
      return null;
    }
    parsedFavicon = { idle: favicon.idle, busy: favicon.busy };
  }
  if (!isRecord(css)) {
    return null;
  }
  const palettes: Partial<Record<ThemeKind, Record<string, string>>> = {};
  for (const kind of ['light', 'dark'] as const) {
    const palette = parsePalette(css[kind]);
    if (!palette) {
      return null;
    }
    palettes[kind] = palette;
  }
  let parsedNotice: IBrandNotice | null = null;
  if (notice !== null) {
    parsedNotice = parseNotice(notice);
    if (!parsedNotice) {
      return null;
    }
  }
  return {
    name,
    logo: parsedLogo,
    favicon: parsedFavicon,
    css: palettes as Record<ThemeKind, Record<string, string>>,
    notice: parsedNotice
  };
}

/**
 * Validate the `branding` section of the Atrium policy. Null when it is missing or
 * malformed in any way.
 */
export function parseBrandingPolicy(raw: unknown): IBrandingPolicy | null {
  if (!isRecord(raw)) {
    return null;
  }
  const { enabled, branding, error, warnings } = raw;
  if (
    typeof enabled !== 'boolean' ||
    !(error === null || isString(error, 5000)) ||
    !Array.isArray(warnings) ||
    !warnings.every(w => isString(w, 1000))
  ) {
    return null;
  }
  let parsed: IBranding | null = null;
  if (branding !== null) {
    parsed = parseBranding(branding);
    if (!parsed) {
      return null;
    }
  }
  // A copy: the list is the page config's, and nbdime's typings (in the program since the
  // gallery's diff uses it) make Array.isArray narrow to a readonly array.
  return { enabled, branding: parsed, error, warnings: [...warnings] };
}

/**
 * The branding the server published with this page, or null when there is none to read.
 */
export function readBrandingPolicy(
  policy: IAtriumPolicy | null = readPolicy()
): IBrandingPolicy | null {
  return policy ? parseBrandingPolicy(policy.branding) : null;
}

/**
 * The branding to apply: only when the server validated a spec without error.
 */
export function activeBranding(
  policy: IBrandingPolicy | null
): IBranding | null {
  if (!policy || !policy.enabled || policy.error !== null) {
    return null;
  }
  return policy.branding;
}

/**
 * The absolute URL of a brand asset, under the server's base URL.
 */
export function assetUrl(path: string, baseUrl: string): string {
  return new URL(path, baseUrl).href;
}
