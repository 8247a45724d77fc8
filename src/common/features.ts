import { IAtriumPolicy, readPolicy } from './policy';

/**
 * The Atrium features an admin can turn off for a whole server
 * (`c.AtriumApp.disabled_features`); each one's plugin id is `jupyterlab-atrium:<feature>`.
 */
export type AtriumFeature = 'gallery' | 'netdrive' | 'branding';

/**
 * The features the server turned off, as it published them in the page config
 * (`atrium.disabledFeatures`); none when it published no such list.
 */
export function disabledFeatures(
  policy: IAtriumPolicy | null = readPolicy()
): string[] {
  const value = policy?.disabledFeatures;
  return Array.isArray(value)
    ? value.filter((name): name is string => typeof name === 'string')
    : [];
}

/**
 * Whether the server turned the feature off. Its plugin then adds no UI: the server does
 * not serve its API either (every call would be a 404).
 */
export function isFeatureOff(
  feature: AtriumFeature,
  policy: IAtriumPolicy | null = readPolicy()
): boolean {
  return disabledFeatures(policy).includes(feature);
}
