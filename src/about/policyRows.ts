import { TranslationBundle } from '@jupyterlab/translation';

import { IAtriumPolicy } from '../common/policy';

/**
 * One setting of the server policy, as the About dialog lists it.
 */
export interface IPolicyRow {
  section: string;
  /** Dotted path inside the section; empty when the section is a single value. */
  setting: string;
  value: string;
}

// Shown elsewhere in the dialog: the version row, and Branding in words (no colour codes).
const SHOWN_ELSEWHERE = new Set(['version', 'apiVersion', 'branding']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueText(value: unknown, trans: TranslationBundle): string {
  // An empty string too: a blank cell reads as a value the dialog failed to show.
  if (value === null || value === undefined || value === '') {
    return trans.__('none');
  }
  if (typeof value === 'boolean') {
    return value ? trans.__('yes') : trans.__('no');
  }
  if (Array.isArray(value)) {
    return value.length
      ? value.map(item => valueText(item, trans)).join(', ')
      : trans.__('none');
  }
  if (isRecord(value)) {
    // Only inside an array: a list of objects has no dotted names to flatten into.
    return JSON.stringify(value);
  }
  return String(value);
}

function flatten(
  section: string,
  prefix: string,
  value: unknown,
  trans: TranslationBundle,
  rows: IPolicyRow[]
): void {
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) {
      flatten(section, prefix ? `${prefix}.${key}` : key, inner, trans, rows);
    }
    return;
  }
  rows.push({
    section,
    setting: prefix,
    value: isRecord(value) ? trans.__('none') : valueText(value, trans)
  });
}

/**
 * The policy's sections as rows of section, setting and value: booleans as words, lists
 * joined, nested settings under dotted names, in the order the server published them.
 */
export function policyRows(
  policy: IAtriumPolicy,
  trans: TranslationBundle
): IPolicyRow[] {
  const rows: IPolicyRow[] = [];
  for (const [section, value] of Object.entries(policy)) {
    if (!SHOWN_ELSEWHERE.has(section)) {
      flatten(section, '', value, trans, rows);
    }
  }
  return rows;
}
