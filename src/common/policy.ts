import { PageConfig } from '@jupyterlab/coreutils';

/**
 * How the Atrium service is deployed for this server.
 */
export type ServiceMode = 'embedded' | 'hub-service';

/**
 * The policy the server publishes in `page_config_data["atrium"]`. Read-only here: the
 * server enforces it, the frontend only adapts to it. Feature sections are added by the
 * feature issues and read by their plugins.
 */
export interface IAtriumPolicy {
  version: string;
  apiVersion: number;
  service: { mode: ServiceMode; url?: string };
  [section: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validate a raw policy value (a JSON string, as PageConfig stores objects, or an object).
 * Returns null when the server published none or something malformed.
 */
export function parsePolicy(raw: unknown): IAtriumPolicy | null {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (!raw) {
      return null;
    }
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!isRecord(value) || !isRecord(value.service)) {
    return null;
  }
  const mode = value.service.mode;
  if (
    typeof value.version !== 'string' ||
    typeof value.apiVersion !== 'number' ||
    (mode !== 'embedded' && mode !== 'hub-service')
  ) {
    return null;
  }
  return value as unknown as IAtriumPolicy;
}

/**
 * The policy of the server this page was served by.
 */
export function readPolicy(): IAtriumPolicy | null {
  return parsePolicy(PageConfig.getOption('atrium'));
}

/**
 * The Atrium features an admin can turn off for a whole server
 * (`c.AtriumApp.disabled_features`); each one's plugin id is `jupyterlab-atrium:<feature>`.
 */
export type AtriumFeature = 'gallery' | 'netdrive' | 'branding' | 'grader';

/**
 * Whether the server turned the feature off (`atrium.disabledFeatures` in the page config).
 * Its plugin then adds no UI: the server does not serve its API either. Here, not in a
 * module of its own, because every plugin definition calls it before anything is loaded.
 */
export function isFeatureOff(
  feature: AtriumFeature,
  policy: IAtriumPolicy | null = readPolicy()
): boolean {
  const off = policy?.disabledFeatures;
  return Array.isArray(off) && off.includes(feature);
}
