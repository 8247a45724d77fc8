import { TranslationBundle } from '@jupyterlab/translation';

import { parseBrandingPolicy } from '../branding/policy';
import { AtriumFeature, IAtriumPolicy, isFeatureOff } from '../common/policy';
import {
  IPluginHost,
  IPluginReport,
  PACKAGE_NAME,
  reportPlugins
} from '../common/plugins';
import { describeError } from '../common/request';
import { ATRIUM_VERSION } from '../common/version';
import { fetchServerInfo, fetchServiceStatus, IServiceStatus } from './api';

export type ServiceCheck =
  | { ok: true; status: IServiceStatus; elapsedMs: number }
  | { ok: false; error: string };

/**
 * What the server made of the admin's brand spec, and whether this page applies it.
 */
export type BrandingFact =
  | { state: 'not-configured' }
  | { state: 'error'; error: string; warnings: string[] }
  | { state: 'configured'; name: string; applied: boolean; warnings: string[] }
  | { state: 'unreadable' };

/**
 * The Branding row of the About dialog, from the policy's `branding` section.
 */
export function brandingFact(
  policy: IAtriumPolicy | null,
  plugins: IPluginReport[]
): BrandingFact {
  if (!policy || policy.branding === undefined) {
    // A server from before branding: nothing is configured there.
    return { state: 'not-configured' };
  }
  const section = parseBrandingPolicy(policy.branding);
  if (!section) {
    return { state: 'unreadable' };
  }
  if (section.error !== null) {
    return { state: 'error', error: section.error, warnings: section.warnings };
  }
  if (!section.enabled || !section.branding) {
    return { state: 'not-configured' };
  }
  const plugin = plugins.find(p => p.id === `${PACKAGE_NAME}:branding`);
  return {
    state: 'configured',
    name: section.branding.name,
    applied: plugin?.state === 'active',
    warnings: section.warnings
  };
}

/**
 * The plugins whose feature the server turned off say so, whatever their state in the page.
 */
export function markServerOff(
  plugins: IPluginReport[],
  policy: IAtriumPolicy | null
): IPluginReport[] {
  // The plugin id's suffix; about and telemetry are never in the server's list.
  const feature = (id: string) =>
    id.slice(PACKAGE_NAME.length + 1) as AtriumFeature;
  return plugins.map(p =>
    isFeatureOff(feature(p.id), policy) ? { ...p, state: 'server-off' } : p
  );
}

/**
 * Everything the About dialog shows an admin checking a deployment.
 */
export interface IAboutFacts {
  frontendVersion: string;
  /** The version the server reports now, or null when it cannot be asked. */
  serverVersion: string | null;
  versionMismatch: boolean;
  /** The live policy, falling back to the one the page was served with. */
  policy: IAtriumPolicy | null;
  plugins: IPluginReport[];
  branding: BrandingFact;
  service: ServiceCheck;
}

export interface IGatherOptions {
  host: IPluginHost;
  pagePolicy: IAtriumPolicy | null;
  trans: TranslationBundle;
  fetchInfo?: () => Promise<IAtriumPolicy>;
  fetchStatus?: () => Promise<IServiceStatus>;
  now?: () => number;
}

/**
 * Ask the server for its version, policy and service health, in parallel.
 */
export async function gatherFacts(
  options: IGatherOptions
): Promise<IAboutFacts> {
  const {
    host,
    pagePolicy,
    trans,
    fetchInfo = fetchServerInfo,
    fetchStatus = fetchServiceStatus,
    now = () => performance.now()
  } = options;
  const started = now();
  const [info, status] = await Promise.allSettled([fetchInfo(), fetchStatus()]);
  const policy = info.status === 'fulfilled' ? info.value : pagePolicy;
  const serverVersion = policy?.version ?? null;
  const service: ServiceCheck =
    status.status === 'fulfilled'
      ? { ok: true, status: status.value, elapsedMs: now() - started }
      : { ok: false, error: describeError(status.reason, trans) };
  const plugins = markServerOff(reportPlugins(host), policy);
  return {
    frontendVersion: ATRIUM_VERSION,
    serverVersion,
    versionMismatch: serverVersion !== null && serverVersion !== ATRIUM_VERSION,
    policy,
    plugins,
    branding: brandingFact(policy, plugins),
    service
  };
}
