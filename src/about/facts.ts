import { TranslationBundle } from '@jupyterlab/translation';

import { IAtriumPolicy } from '../common/policy';
import { IPluginHost, IPluginReport, reportPlugins } from '../common/plugins';
import { describeError } from '../common/request';
import { ATRIUM_VERSION } from '../common/version';
import { fetchServerInfo, fetchServiceStatus, IServiceStatus } from './api';

export type ServiceCheck =
  | { ok: true; status: IServiceStatus; elapsedMs: number }
  | { ok: false; error: string };

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
  return {
    frontendVersion: ATRIUM_VERSION,
    serverVersion,
    versionMismatch: serverVersion !== null && serverVersion !== ATRIUM_VERSION,
    policy,
    plugins: reportPlugins(host),
    service
  };
}
