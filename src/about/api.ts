import { IAtriumPolicy } from '../common/policy';
import { requestAPI } from '../common/request';

/**
 * What `GET /atrium/api/service/status` answers.
 */
export interface IServiceStatus {
  ok: boolean;
  version: string;
  mode: string;
  database: {
    backend: string;
    revision: string | null;
    head: string | null;
    upToDate: boolean;
    installation: string | null;
  };
}

export function fetchServiceStatus(): Promise<IServiceStatus> {
  return requestAPI<IServiceStatus>('service/status');
}

/**
 * The live policy of the server: the version handshake of the About dialog.
 */
export function fetchServerInfo(): Promise<IAtriumPolicy> {
  return requestAPI<IAtriumPolicy>('info');
}
