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
const RAW = 'atrium/api/netdrive/raw/dept';

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

  it('saves text and notebooks as JSON models', async () => {
    const { settings, seen } = fakeServer({
      [`PUT ${ROOT}/contents/notes.txt`]: {
        status: 200,
        body: file('notes.txt')
      }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    await drive.save('notes.txt', {
      type: 'file',
      format: 'text',
      content: 'hello',
      contentProviderId: 'rest'
    });
    expect(seen[0].body).toEqual({
      type: 'file',
      format: 'text',
      content: 'hello'
    });
  });

  it('sends base64 saves and upload chunks as raw bytes, signalling complete files', async () => {
    const { settings, seen } = fakeServer({
      [`PUT ${RAW}/up/big%20one.bin`]: s => ({
        status: s.path.endsWith('chunk=1') ? 201 : 200,
        body: file('up/big one.bin')
      })
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    const changes: Contents.IChangedArgs[] = [];
    drive.fileChanged.connect((_, args) => changes.push(args));
    const chunks = ['AAEC', '//79', 'YQ=='];
    for (const [i, chunk] of [1, 2, -1].entries()) {
      await drive.save('up/big one.bin', {
        type: 'file',
        format: 'base64',
        content: chunks[i],
        chunk,
        contentProviderId: 'rest'
      });
    }
    await drive.save('up/big one.bin', {
      type: 'file',
      format: 'base64',
      content: 'AAEC'
    });
    expect(seen.map(s => s.path)).toEqual([
      `${RAW}/up/big%20one.bin?chunk=1`,
      `${RAW}/up/big%20one.bin?chunk=2`,
      `${RAW}/up/big%20one.bin?chunk=-1`,
      `${RAW}/up/big%20one.bin`
    ]);
    expect(seen.map(s => Array.from(s.bytes ?? []))).toEqual([
      [0, 1, 2],
      [255, 254, 253],
      [97],
      [0, 1, 2]
    ]);
    expect(seen.every(s => s.method === 'PUT' && s.body === undefined)).toBe(
      true
    );
    // Chunks 1 and 2 leave an incomplete file: no listing refresh for them.
    expect(changes.map(c => c.type)).toEqual(['save', 'save']);
    expect(changes[0].newValue?.path).toBe('up/big one.bin');
  });

  it('uploads a Blob in raw parts numbered like chunks, reporting progress', async () => {
    const { settings, seen } = fakeServer({
      [`PUT ${RAW}/in/data.bin`]: { status: 200, body: file('in/data.bin') }
    });
    const drive = new NetDrive({
      name: 'dept',
      serverSettings: settings,
      uploadPart: 4
    });
    const changes: Contents.IChangedArgs[] = [];
    drive.fileChanged.connect((_, args) => changes.push(args));
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    const progress: number[] = [];
    const model = await drive.upload('in/data.bin', new Blob([bytes]), n =>
      progress.push(n)
    );
    expect(model.path).toBe('in/data.bin');
    expect(seen.map(s => `${s.method} ${s.path}`)).toEqual([
      `PUT ${RAW}/in/data.bin?chunk=1`,
      `PUT ${RAW}/in/data.bin?chunk=2`,
      `PUT ${RAW}/in/data.bin?chunk=-1`
    ]);
    expect(seen.map(s => Array.from(s.bytes ?? []))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9]
    ]);
    expect(progress).toEqual([4, 8, 10]);
    expect(changes.map(c => [c.type, c.newValue?.path])).toEqual([
      ['save', 'in/data.bin']
    ]);
  });

  it('uploads a small or empty Blob in one request without a chunk number', async () => {
    const { settings, seen } = fakeServer({
      [`PUT ${RAW}/e.bin`]: { status: 201, body: file('e.bin') }
    });
    const drive = new NetDrive({
      name: 'dept',
      serverSettings: settings,
      uploadPart: 4
    });
    await drive.upload('e.bin', new Blob([]));
    await drive.upload('e.bin', new Blob([new Uint8Array([7, 8, 9, 10])]));
    expect(seen.map(s => [s.path, Array.from(s.bytes ?? [])])).toEqual([
      [`${RAW}/e.bin`, []],
      [`${RAW}/e.bin`, [7, 8, 9, 10]]
    ]);
  });

  it('stops an upload at the first refused part, with the server message', async () => {
    const { settings, seen } = fakeServer({
      [`PUT ${RAW}/full.bin`]: s =>
        s.path.endsWith('chunk=2')
          ? {
              status: 502,
              body: { message: 'Writing full.bin failed.', reason: 'smb-error' }
            }
          : { status: 200, body: file('full.bin') }
    });
    const drive = new NetDrive({
      name: 'dept',
      serverSettings: settings,
      uploadPart: 2
    });
    const changes: Contents.IChangedArgs[] = [];
    drive.fileChanged.connect((_, args) => changes.push(args));
    const error = await drive
      .upload('full.bin', new Blob([new Uint8Array(7)]))
      .catch(e => e);
    expect(error).toBeInstanceOf(NetDriveError);
    expect(error.message).toBe('Writing full.bin failed.');
    expect(error.reason).toBe('smb-error');
    expect(seen.map(s => s.path)).toEqual([
      `${RAW}/full.bin?chunk=1`,
      `${RAW}/full.bin?chunk=2`
    ]);
    expect(changes).toEqual([]);
  });

  it('refuses content that is not base64 without sending anything', async () => {
    const { settings, seen } = fakeServer({});
    const drive = new NetDrive({
      name: 'dept',
      serverSettings: settings,
      describe: e => `described ${e.reason}`
    });
    const error = await drive
      .save('x.bin', { type: 'file', format: 'base64', content: 'no!base64' })
      .catch(e => e);
    expect(error).toBeInstanceOf(NetDriveError);
    expect(error.reason).toBe('invalid-content');
    expect(error.response.status).toBe(400);
    expect(error.message).toBe('described invalid-content');
    expect(seen).toEqual([]);
  });

  it('reads base64 files as raw bytes with the model from the same reply', async () => {
    const bytes = new Uint8Array(70000).map((_, i) => (i * 7) % 256);
    const { settings, seen } = fakeServer({
      [`GET ${RAW}/img/a%20b.png`]: {
        status: 200,
        raw: bytes,
        headers: {
          'X-Atrium-Model': JSON.stringify({
            ...file('img/a b.png'),
            mimetype: 'image/png',
            format: 'base64',
            size: bytes.length
          })
        }
      }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    const model = await drive.get('img/a b.png', {
      type: 'file',
      format: 'base64',
      content: true
    });
    expect(seen.map(s => s.path)).toEqual([`${RAW}/img/a%20b.png`]);
    expect(model).toMatchObject({
      path: 'img/a b.png',
      mimetype: 'image/png',
      format: 'base64',
      size: 70000
    });
    expect(model.content).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('asks the contents API when a hash or no content is wanted', async () => {
    const { settings, seen } = fakeServer({
      [`GET ${ROOT}/contents/a.bin`]: { status: 200, body: file('a.bin') }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    await drive.get('a.bin', { type: 'file', format: 'base64', hash: true });
    await drive.get('a.bin', {
      type: 'file',
      format: 'base64',
      content: false
    });
    expect(seen.map(s => s.path)).toEqual([
      `${ROOT}/contents/a.bin?content=1&type=file&format=base64&hash=1`,
      `${ROOT}/contents/a.bin?content=0&type=file&format=base64`
    ]);
  });

  it('reports a raw reply without a readable model as invalid', async () => {
    const { settings } = fakeServer({
      [`GET ${RAW}/a.bin`]: { status: 200, raw: new Uint8Array([1]) },
      [`GET ${RAW}/b.bin`]: {
        status: 200,
        raw: new Uint8Array([1]),
        headers: { 'X-Atrium-Model': '[1]' }
      },
      [`GET ${RAW}/c.bin`]: {
        status: 409,
        body: { message: 'not connected', reason: 'disconnected' }
      }
    });
    const drive = new NetDrive({ name: 'dept', serverSettings: settings });
    const fetch = (path: string) =>
      drive
        .get(path, { type: 'file', format: 'base64', content: true })
        .catch(e => e);
    expect((await fetch('a.bin')).reason).toBe('invalid-reply');
    expect((await fetch('b.bin')).reason).toBe('invalid-reply');
    const error = await fetch('c.bin');
    expect([error.response.status, error.reason, error.message]).toEqual([
      409,
      'disconnected',
      'not connected'
    ]);
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
