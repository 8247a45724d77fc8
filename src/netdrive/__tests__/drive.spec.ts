import { Contents, ServerConnection } from '@jupyterlab/services';

import { downloadUrl, getContents, policyFromPage } from '../api';
import {
  atriumDriveName,
  contentsDriveName,
  NetDrive,
  NetDriveError
} from '../drive';
import { fakeServer, samplePolicy } from './fake';

const file = (path: string): Contents.IModel => ({
  name: path.split('/').pop() ?? '',
  path,
  type: 'file',
  writable: true,
  created: '2025-01-01T00:00:00Z',
  last_modified: '2025-01-02T00:00:00Z',
  mimetype: 'text/plain',
  content: null,
  format: null
});

const ROOT = 'atrium/api/netdrive/drives/dept';

describe('drive names', () => {
  it('prefixes Atrium drive names and reads them back', () => {
    expect(contentsDriveName('dept')).toBe('atrium-nd-dept');
    expect(atriumDriveName('atrium-nd-dept')).toBe('dept');
    expect(atriumDriveName('RTC')).toBeNull();
  });
});

describe('NetDrive', () => {
  it('gets a file with the contents query, segments URL-encoded', async () => {
    const { settings, seen } = fakeServer({
      [`GET ${ROOT}/contents/Raw%20Data/%C3%BCber%23.csv`]: {
        status: 200,
        body: file('Raw Data/über#.csv')
      }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    expect(drive.name).toBe('atrium-nd-dept');
    const model = await drive.get('Raw Data/über#.csv', {
      type: 'file',
      format: 'text',
      content: true
    });
    expect(model.path).toBe('Raw Data/über#.csv');
    expect(seen[0].method).toBe('GET');
    expect(seen[0].path).toBe(
      `${ROOT}/contents/Raw%20Data/%C3%BCber%23.csv?content=1&type=file&format=text`
    );
  });

  it('lists a directory without content when asked', async () => {
    const { settings, seen } = fakeServer({
      [`GET ${ROOT}/contents/`]: {
        status: 200,
        body: { ...file(''), type: 'directory', content: [] }
      }
    });
    await getContents('dept', '', { content: false }, settings);
    expect(seen[0].path).toBe(`${ROOT}/contents/?content=0`);
  });

  it('saves, including chunks of an upload, and signals the change', async () => {
    const { settings, seen } = fakeServer({
      [`PUT ${ROOT}/contents/big.bin`]: s => ({
        status: 200,
        body: file('big.bin')
      })
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    const changes: Contents.IChangedArgs[] = [];
    drive.fileChanged.connect((_, args) => changes.push(args));
    for (const chunk of [1, 2, -1]) {
      await drive.save('big.bin', {
        type: 'file',
        format: 'base64',
        content: 'AAAA',
        chunk,
        contentProviderId: 'rest'
      });
    }
    expect(seen.map(s => s.body)).toEqual(
      [1, 2, -1].map(chunk => ({
        type: 'file',
        format: 'base64',
        content: 'AAAA',
        chunk
      }))
    );
    expect(changes.map(c => c.type)).toEqual(['save', 'save', 'save']);
    expect(changes[0].newValue?.path).toBe('big.bin');
  });

  it('creates, renames, copies and deletes through the API', async () => {
    const { settings, seen } = fakeServer({
      [`POST ${ROOT}/contents/sub`]: { status: 201, body: file('sub/x.txt') },
      [`PATCH ${ROOT}/contents/sub/x.txt`]: {
        status: 200,
        body: file('sub/y.txt')
      },
      [`POST ${ROOT}/copy`]: { status: 201, body: file('y.txt') },
      [`DELETE ${ROOT}/contents/sub/y.txt`]: { status: 204 }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    const changes: string[] = [];
    drive.fileChanged.connect((_, a) =>
      changes.push(
        `${a.type}:${a.oldValue?.path ?? ''}>${a.newValue?.path ?? ''}`
      )
    );
    await drive.newUntitled({ path: 'sub', type: 'file', ext: '.txt' });
    await drive.rename('sub/x.txt', 'sub/y.txt');
    await drive.copy('sub/y.txt', '');
    await drive.delete('sub/y.txt');
    expect(seen.map(s => [s.method, s.body])).toEqual([
      ['POST', { type: 'file', ext: '.txt' }],
      ['PATCH', { path: 'sub/y.txt' }],
      ['POST', { from: 'sub/y.txt', to: '' }],
      ['DELETE', undefined]
    ]);
    expect(changes).toEqual([
      'new:>sub/x.txt',
      'rename:sub/x.txt>sub/y.txt',
      'new:>y.txt',
      'delete:sub/y.txt>'
    ]);
  });

  it('creates notebooks and folders without an extension', async () => {
    const { settings, seen } = fakeServer({
      [`POST ${ROOT}/contents/`]: { status: 201, body: file('Untitled') }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    await drive.newUntitled({ type: 'notebook', ext: '.ipynb' });
    await drive.newUntitled({ type: 'directory' });
    expect(seen.map(s => s.body)).toEqual([
      { type: 'notebook' },
      { type: 'directory' }
    ]);
  });

  it('turns server errors into ResponseErrors with status, message and reason', async () => {
    const { settings } = fakeServer({
      [`GET ${ROOT}/contents/a.txt`]: {
        status: 409,
        body: {
          message: 'The drive Department is not connected',
          reason: 'disconnected'
        }
      },
      [`GET ${ROOT}/contents/b.txt`]: {
        status: 400,
        body: { reason: 'invalid-path' }
      }
    });
    const drive = new NetDrive({
      name: 'dept',
      serverSettings: settings,
      describe: e => `described ${e.reason}`
    });
    const error = await drive.get('a.txt').catch(e => e);
    expect(error).toBeInstanceOf(NetDriveError);
    expect(error).toBeInstanceOf(ServerConnection.ResponseError);
    expect(error.response.status).toBe(409);
    expect(error.reason).toBe('disconnected');
    expect(error.message).toBe('The drive Department is not connected');
    const other = await drive.get('b.txt').catch(e => e);
    expect(other.message).toBe('described invalid-path');
  });

  it('keeps no checkpoints and says so', async () => {
    const { settings, seen } = fakeServer({});
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    await expect(drive.listCheckpoints('a.ipynb')).resolves.toEqual([]);
    const checkpoint = await drive.createCheckpoint('a.ipynb');
    expect(typeof checkpoint.id).toBe('string');
    await expect(drive.listCheckpoints('a.ipynb')).resolves.toEqual([]);
    await expect(
      drive.restoreCheckpoint('a.ipynb', checkpoint.id)
    ).rejects.toThrow('no checkpoints');
    await expect(
      drive.deleteCheckpoint('a.ipynb', 'x')
    ).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('gives download links with the XSRF value and nothing secret', async () => {
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/base/'
    });
    expect(
      downloadUrl('dept', 'out/result 1.csv', settings, 'a=1; _xsrf=2|abc; b=3')
    ).toBe(
      'http://localhost:8888/base/atrium/api/netdrive/drives/dept/download/out/result%201.csv?_xsrf=2%7Cabc'
    );
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    await expect(drive.getDownloadUrl('x.csv')).resolves.toContain(
      '/atrium/api/netdrive/drives/dept/download/x.csv'
    );
  });

  it('stops signalling once disposed', async () => {
    const { settings } = fakeServer({
      [`DELETE ${ROOT}/contents/a`]: { status: 204 }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    const changes: unknown[] = [];
    drive.fileChanged.connect((_, a) => changes.push(a));
    drive.dispose();
    await drive.delete('a');
    expect(drive.isDisposed).toBe(true);
    expect(changes).toEqual([]);
  });
});

describe('policyFromPage', () => {
  it('reads a well-formed policy section and refuses a malformed one', () => {
    const page = {
      version: '0.1.0',
      apiVersion: 1,
      service: { mode: 'embedded' as const }
    };
    expect(policyFromPage({ ...page, netdrive: samplePolicy })).toEqual(
      samplePolicy
    );
    expect(
      policyFromPage({ ...page, netdrive: { ...samplePolicy, maxDrives: '5' } })
    ).toBeNull();
    expect(policyFromPage(page)).toBeNull();
    expect(policyFromPage(null)).toBeNull();
  });
});
