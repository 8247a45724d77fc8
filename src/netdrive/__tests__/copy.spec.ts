import { Contents, ContentsManager } from '@jupyterlab/services';

import { copyAcross, joinGlobal, MAX_COPY_BYTES } from '../copy';
import { NetDrive } from '../drive';
import { fakeServer } from './fake';

const ND = 'atrium/api/netdrive/drives/dept';
const RAW = 'atrium/api/netdrive/raw/dept';

function model(
  path: string,
  extra: Partial<Contents.IModel> = {}
): Contents.IModel {
  return {
    name: (path.split(':').pop() ?? '').split('/').pop() ?? '',
    path,
    type: 'file',
    writable: true,
    created: '',
    last_modified: '',
    mimetype: 'text/csv',
    content: null,
    format: null,
    ...extra
  };
}

function setup(routes: Parameters<typeof fakeServer>[0]) {
  const { settings, seen } = fakeServer(routes);
  const contents = new ContentsManager({ serverSettings: settings });
  contents.addDrive(new NetDrive({ name: 'dept', serverSettings: settings }));
  return { contents, seen, settings };
}

describe('copyAcross', () => {
  it('joins paths on either drive', () => {
    const { contents } = setup({});
    expect(joinGlobal(contents, 'atrium-nd-dept:', 'x.csv')).toBe(
      'atrium-nd-dept:x.csv'
    );
    expect(joinGlobal(contents, 'atrium-nd-dept:a/b', 'x.csv')).toBe(
      'atrium-nd-dept:a/b/x.csv'
    );
    expect(joinGlobal(contents, 'work', 'x.csv')).toBe('work/x.csv');
  });

  it('copies a home file onto the drive as base64', async () => {
    const { contents, seen } = setup({
      'GET api/contents/work/raw.csv': {
        status: 200,
        body: model('work/raw.csv', { content: 'YSxiCg==', format: 'base64' })
      },
      [`PUT ${RAW}/in/raw.csv`]: {
        status: 201,
        body: model('in/raw.csv')
      }
    });
    const result = await copyAcross(
      contents,
      model('work/raw.csv', { size: 4 }),
      'atrium-nd-dept:in'
    );
    expect(result).toEqual({
      outcome: 'copied',
      path: 'atrium-nd-dept:in/raw.csv'
    });
    // The drive sends the bytes themselves, not base64 in JSON.
    const put = seen.find(s => s.method === 'PUT');
    expect(put?.path).toBe(`${RAW}/in/raw.csv`);
    expect(new TextDecoder().decode(put?.bytes)).toBe('a,b\n');
    // It looked for an existing target first.
    expect(seen[0].path).toBe(`${ND}/contents/in/raw.csv?content=0`);
  });

  it('never overwrites and refuses huge files', async () => {
    const { contents, seen } = setup({
      [`GET ${ND}/contents/raw.csv`]: { status: 200, body: model('raw.csv') },
      'GET api/contents/raw.csv': { status: 200, body: model('raw.csv') }
    });
    await expect(
      copyAcross(contents, model('atrium-nd-dept:raw.csv'), '')
    ).resolves.toEqual({ outcome: 'exists', path: 'raw.csv' });
    await expect(
      copyAcross(
        contents,
        model('atrium-nd-dept:big', { size: MAX_COPY_BYTES + 1 }),
        ''
      )
    ).resolves.toMatchObject({ outcome: 'too-large' });
    expect(seen.filter(s => s.method === 'PUT')).toEqual([]);
  });
});

describe('copyAcross from a network drive', () => {
  it('reads the source as raw bytes and saves them home as base64', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const { contents, seen } = setup({
      'GET api/contents/bin.dat': { status: 404 },
      [`GET ${RAW}/bin.dat`]: {
        status: 200,
        raw: bytes,
        headers: {
          'X-Atrium-Model': JSON.stringify(
            model('bin.dat', { format: 'base64', mimetype: 'x/y', size: 5 })
          )
        }
      },
      'PUT api/contents/bin.dat': { status: 201, body: model('bin.dat') }
    });
    await expect(
      copyAcross(contents, model('atrium-nd-dept:bin.dat', { size: 5 }), '')
    ).resolves.toEqual({ outcome: 'copied', path: 'bin.dat' });
    const put = seen.find(s => s.method === 'PUT');
    expect(put?.body).toMatchObject({
      type: 'file',
      format: 'base64',
      content: 'AAEC+v8='
    });
  });
});
