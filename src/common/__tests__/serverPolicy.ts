import { PageConfig } from '@jupyterlab/coreutils';

/**
 * The Atrium policy in the page config, as the server extension publishes it for an
 * embedded service, with `fields` added (disabledFeatures, branding, netdrive…).
 */
export function publishServerPolicy(
  fields: Record<string, unknown> = {}
): void {
  PageConfig.setOption(
    'atrium',
    JSON.stringify({
      version: '0.1.0',
      apiVersion: 1,
      service: { mode: 'embedded' },
      ...fields
    })
  );
}
