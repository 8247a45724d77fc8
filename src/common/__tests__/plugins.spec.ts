import * as fs from 'fs';
import * as path from 'path';

import plugins from '../../index';
import {
  ATRIUM_PLUGINS,
  idsFromOption,
  IPluginHost,
  PACKAGE_NAME,
  reportPlugins
} from '../plugins';
import { ATRIUM_VERSION } from '../version';

const root = path.resolve(__dirname, '..', '..', '..');

function host(registered: string[], active: string[]): IPluginHost {
  return {
    hasPlugin: id => registered.includes(id),
    isPluginActivated: id => active.includes(id)
  };
}

describe('the plugin catalogue', () => {
  it('lists exactly the plugins the package exports', () => {
    expect(plugins.map(p => p.id).sort()).toEqual(
      ATRIUM_PLUGINS.map(p => p.id).sort()
    );
  });

  it('gives every plugin its own closed settings schema', () => {
    for (const { id } of ATRIUM_PLUGINS) {
      const [pkg, name] = id.split(':');
      expect(pkg).toBe(PACKAGE_NAME);
      const schema = JSON.parse(
        fs.readFileSync(path.join(root, 'schema', `${name}.json`), 'utf-8')
      );
      expect(schema.additionalProperties).toBe(false);
    }
  });

  it('matches the package version', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(root, 'package.json'), 'utf-8')
    );
    expect(ATRIUM_VERSION).toBe(pkg.version);
  });
});

describe('idsFromOption', () => {
  it('reads lists, maps and nonsense', () => {
    expect([...idsFromOption('["a:b", 3]')]).toEqual(['a:b']);
    expect([...idsFromOption('{"a:b": true, "c:d": false}')]).toEqual(['a:b']);
    expect(idsFromOption('').size).toBe(0);
    expect(idsFromOption('{broken').size).toBe(0);
  });
});

describe('reportPlugins', () => {
  const about = `${PACKAGE_NAME}:about`;

  it('reports an activated plugin as active', () => {
    const [report] = reportPlugins(host([about], [about]), () => false, '');
    expect(report).toMatchObject({ id: about, state: 'active', locked: false });
  });

  it('reports a registered, not yet activated plugin as enabled', () => {
    const [report] = reportPlugins(host([about], []), () => false, '');
    expect(report.state).toBe('enabled');
  });

  it('reports a plugin disabled by the admin', () => {
    const [report] = reportPlugins(host([], []), id => id === about, '');
    expect(report.state).toBe('disabled');
  });

  it('reports plugins locked one by one or as a whole package', () => {
    const single = reportPlugins(
      host([about], [about]),
      () => false,
      JSON.stringify({ [about]: true })
    );
    expect(single[0].locked).toBe(true);
    const whole = reportPlugins(
      host([about], [about]),
      () => false,
      JSON.stringify([PACKAGE_NAME])
    );
    expect(whole[0].locked).toBe(true);
  });
});
