import { PageConfig } from '@jupyterlab/coreutils';

/**
 * The npm name of the suite: plugin ids are `jupyterlab-atrium:<plugin>`.
 */
export const PACKAGE_NAME = 'jupyterlab-atrium';

/**
 * Every plugin this build of Atrium ships. A feature issue adds its plugin here when it
 * lands, so the About dialog can tell an admin what is on and off.
 */
export const ATRIUM_PLUGINS: ReadonlyArray<{ id: string; label: string }> = [
  { id: `${PACKAGE_NAME}:about`, label: 'About Atrium' },
  { id: `${PACKAGE_NAME}:branding`, label: 'Branding' },
  { id: `${PACKAGE_NAME}:gallery`, label: 'Gallery' },
  { id: `${PACKAGE_NAME}:grader`, label: 'Exercise grader' },
  { id: `${PACKAGE_NAME}:netdrive`, label: 'Network drives' },
  { id: `${PACKAGE_NAME}:telemetry`, label: 'Execution health' }
];

/** `server-off`: the server turned the plugin's feature off (c.AtriumApp.disabled_features). */
export type PluginState = 'active' | 'enabled' | 'disabled' | 'server-off';

export interface IPluginReport {
  id: string;
  label: string;
  state: PluginState;
  locked: boolean;
}

/**
 * What the running application knows about its plugins (a subset of Lumino's
 * `Application`, so tests can pass a stand-in).
 */
export interface IPluginHost {
  hasPlugin(id: string): boolean;
  isPluginActivated(id: string): boolean;
}

/**
 * Ids listed in a page-config option that JupyterLab writes either as a list or as an
 * `{id: true}` map (e.g. `lockedExtensions`).
 */
export function idsFromOption(raw: string): Set<string> {
  if (!raw) {
    return new Set();
  }
  try {
    const value: unknown = JSON.parse(raw);
    if (Array.isArray(value)) {
      return new Set(value.filter((v): v is string => typeof v === 'string'));
    }
    if (typeof value === 'object' && value !== null) {
      return new Set(
        Object.entries(value)
          .filter(([, on]) => on === true)
          .map(([id]) => id)
      );
    }
  } catch {
    // A malformed option is treated as empty; the admin sees nothing locked.
  }
  return new Set();
}

function matches(ids: Set<string>, id: string): boolean {
  return ids.has(id) || ids.has(id.split(':')[0]);
}

/**
 * Enabled / disabled / locked state of every Atrium plugin in this build.
 */
export function reportPlugins(
  host: IPluginHost,
  isDisabled: (id: string) => boolean = PageConfig.Extension.isDisabled,
  lockedRaw: string = PageConfig.getOption('lockedExtensions')
): IPluginReport[] {
  const locked = idsFromOption(lockedRaw);
  return ATRIUM_PLUGINS.map(({ id, label }) => {
    let state: PluginState;
    if (isDisabled(id) || !host.hasPlugin(id)) {
      state = 'disabled';
    } else if (host.isPluginActivated(id)) {
      state = 'active';
    } else {
      state = 'enabled';
    }
    return { id, label, state, locked: matches(locked, id) };
  });
}
