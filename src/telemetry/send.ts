import { requestAPI } from '../common/request';
import { ITelemetryRecord } from './record';

/** POST a batch to the user's own server, which checks, logs and forwards it. */
export async function sendRecords(
  records: ITelemetryRecord[],
  keepalive: boolean
): Promise<void> {
  await requestAPI<unknown>('telemetry', {
    method: 'POST',
    body: JSON.stringify({ records }),
    keepalive
  });
}
