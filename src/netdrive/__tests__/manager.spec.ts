import { Contents } from '@jupyterlab/services';

import { NetDriveError } from '../drive';
import { isConnected, NetDriveManager } from '../manager';
import { IDriveInfo } from '../types';
import { fakeServer, holdsString, sampleDrive, samplePolicy } from './fake';

const API = 'atrium/api/netdrive';

function drive(name: string, extra: Partial<IDriveInfo> = {}): IDriveInfo {
  return { ...sampleDrive, name, displayName: name, ...extra };
}

function setup(
  routes: Parameters<typeof fakeServer>[0],
  options: { recheckInterval?: number } = {}
) {
  const { settings, seen } = fakeServer(routes);
  const added: Contents.IDrive[] = [];
  const manager = new NetDriveManager({
    contents: { addDrive: d => added.push(d) },
    serverSettings: settings,
    ...options
  });
  return { manager, seen, added };
}

/** Resolves once `test()` holds, checking whenever the manager signals a change. */
function when(manager: NetDriveManager, test: () => boolean): Promise<void> {
  return new Promise(resolve => {
    const check = () => {
      if (test()) {
        manager.changed.disconnect(check);
        resolve();
      }
    };
    manager.changed.connect(check);
    check();
  });
}

const rootFolder = {
  name: '',
  path: '',
  type: 'directory',
  format: 'json',
  mimetype: '',
  content: [],
  created: '2026-01-01T00:00:00Z',
  last_modified: '2026-01-01T00:00:00Z',
  writable: true
};

/**
 * A server whose drive 'a' stops answering when `answering` is false: its file calls get
 * 504 and it lists the drive as unreachable (as the real one does after a deadline).
 */
function hangingServer(options: { recheckInterval?: number } = {}) {
  const server = { answering: true, state: 'connected' as IDriveInfo['state'] };
  const found = setup(
    {
      [`GET ${API}/drives`]: () => ({
        status: 200,
        body: {
          items: [
            drive('a', {
              state: server.state,
              ...(server.state === 'unreachable'
                ? { error: "The drive 'a' is not answering." }
                : {})
            })
          ]
        }
      }),
      // The drive root: `contents/` and an empty path.
      [`GET ${API}/drives/a/contents/`]: () => {
        if (server.answering) {
          return { status: 200, body: rootFolder };
        }
        server.state = 'unreachable';
        return {
          status: 504,
          body: {
            message: "The drive 'a' is not answering.",
            reason: 'timeout'
          }
        };
      }
    },
    options
  );
  return { ...found, server };
}

describe('NetDriveManager', () => {
  it('lists remembered drives and signals', async () => {
    const { manager } = setup({
      [`GET ${API}/drives`]: {
        status: 200,
        body: { items: [drive('a'), drive('b', { state: 'disconnected' })] }
      }
    });
    let changes = 0;
    manager.changed.connect(() => changes++);
    expect(manager.loaded).toBe(false);
    await manager.refresh();
    expect(manager.loaded).toBe(true);
    expect(manager.drives.map(d => d.name)).toEqual(['a', 'b']);
    expect(changes).toBe(1);
  });

  it('keeps the failure of a listing for the panel', async () => {
    const { manager } = setup({});
    await expect(manager.refresh()).rejects.toMatchObject({
      reason: 'not-installed'
    });
    expect(manager.loadError).not.toBeNull();
  });

  it('creates a drive, sending the password once and keeping none', async () => {
    const { manager, seen } = setup({
      [`POST ${API}/drives`]: { status: 201, body: drive('dept') }
    });
    const request = {
      share: '\\\\fileserver\\dept',
      domain: 'UNI',
      username: 'ada',
      password: 'hunter2',
      displayName: 'Department',
      readOnly: false
    };
    const info = await manager.create(request);
    expect(info.name).toBe('dept');
    expect(seen[0].body).toEqual(request);
    expect(manager.drives).toEqual([info]);
    expect(JSON.stringify(manager.drives)).not.toContain('hunter2');
    expect(holdsString(manager, 'hunter2')).toBe(false);
  });

  it('reconnects, disconnects and forgets drives', async () => {
    const { manager, seen } = setup({
      [`GET ${API}/drives`]: {
        status: 200,
        body: { items: [drive('a', { state: 'disconnected' })] }
      },
      [`POST ${API}/drives/a/connect`]: { status: 200, body: drive('a') },
      [`POST ${API}/drives/a/disconnect`]: {
        status: 200,
        body: drive('a', { state: 'disconnected' })
      },
      [`DELETE ${API}/drives/a`]: { status: 204 }
    });
    await manager.refresh();
    await manager.connect('a', 'pw');
    expect(manager.drive('a')?.state).toBe('connected');
    await manager.disconnect('a');
    expect(manager.drive('a')?.state).toBe('disconnected');
    await manager.forget('a');
    expect(manager.drives).toEqual([]);
    expect(seen.map(s => `${s.method} ${s.path}`)).toEqual([
      `GET ${API}/drives`,
      `POST ${API}/drives/a/connect`,
      `POST ${API}/drives/a/disconnect`,
      `DELETE ${API}/drives/a`
    ]);
    expect(seen[1].body).toEqual({ password: 'pw' });
  });

  it('groups disconnected drives by server for "reconnect all"', async () => {
    const { manager, seen } = setup({
      [`GET ${API}/drives`]: {
        status: 200,
        body: {
          items: [
            drive('a', { state: 'disconnected' }),
            drive('b', { state: 'error', username: 'bob', domain: '' }),
            drive('c'),
            drive('d', { state: 'disconnected', server: 'other' })
          ]
        }
      },
      [`POST ${API}/reconnect`]: {
        status: 200,
        body: { items: [drive('a'), drive('b')] }
      }
    });
    await manager.refresh();
    const groups = manager.disconnectedByServer();
    expect(
      groups.map(g => [g.server, g.accounts, g.drives.map(d => d.name)])
    ).toEqual([
      ['fileserver', ['UNI\\ada', 'bob'], ['a', 'b']],
      ['other', ['UNI\\ada'], ['d']]
    ]);
    await manager.reconnectServer('fileserver', 'pw');
    expect(seen[1].body).toEqual({ server: 'fileserver', password: 'pw' });
    expect(manager.drives.map(d => d.state)).toEqual([
      'connected',
      'connected',
      'connected',
      'disconnected'
    ]);
  });

  it('registers one contents drive per drive, once', () => {
    const { manager, added } = setup({});
    const first = manager.contentsDrive('dept');
    expect(manager.contentsDrive('dept')).toBe(first);
    expect(added).toEqual([first]);
    expect(first.name).toBe('atrium-nd-dept');
  });

  it('shows a drive whose server stops answering as unreachable, then connected again', async () => {
    const { manager, server, seen } = hangingServer({ recheckInterval: 1 });
    await manager.refresh();
    const files = manager.contentsDrive('a');
    server.answering = false;
    const failure = await files.get('').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetDriveError);
    expect((failure as NetDriveError).response.status).toBe(504);
    // The failed call makes the manager ask the server, which now says unreachable.
    await when(manager, () => manager.drive('a')?.state === 'unreachable');
    expect(manager.drive('a')?.error).toContain('not answering');
    expect(isConnected(manager.drive('a')!)).toBe(true);
    expect(manager.disconnectedByServer()).toEqual([]);
    // Nothing else uses the drive: the manager keeps asking until the server (its probe)
    // reports it connected again, and then stops.
    const asked = seen.filter(s => s.path === `${API}/drives`).length;
    server.answering = true;
    server.state = 'connected';
    await when(manager, () => manager.drive('a')?.state === 'connected');
    expect(seen.filter(s => s.path === `${API}/drives`).length).toBeGreaterThan(
      asked
    );
    manager.dispose();
  });

  it('asks again at once when an unreachable drive answers a call', async () => {
    // No polling worth the name: only the answered call can bring the news.
    const { manager, server } = hangingServer({ recheckInterval: 3_600_000 });
    server.state = 'unreachable';
    await manager.refresh();
    expect(manager.drive('a')?.state).toBe('unreachable');
    server.state = 'connected';
    await manager.contentsDrive('a').get('');
    await when(manager, () => manager.drive('a')?.state === 'connected');
    manager.dispose();
  });

  it('asks the server for the policy when the page has none', async () => {
    const { manager, seen } = setup({
      [`GET ${API}/policy`]: { status: 200, body: samplePolicy }
    });
    await expect(manager.policy()).resolves.toEqual(samplePolicy);
    await manager.policy();
    expect(seen.length).toBe(1);
  });
});
