import { IChangedArgs } from '@jupyterlab/coreutils';
import type { FileBrowserModel, IUploadModel } from '@jupyterlab/filebrowser';
import { Contents, ContentsManager } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import { NetDrive } from '../drive';
import { streamUploads, UploadTarget } from '../upload';
import { fakeServer, ISeen } from './fake';

const ROOT = 'atrium/api/netdrive/drives/dept';
const RAW = 'atrium/api/netdrive/raw/dept';

const model = (path: string): Contents.IModel => ({
  name: path.split('/').pop() ?? '',
  path,
  type: 'file',
  writable: true,
  created: '2025-01-01T00:00:00Z',
  last_modified: '2025-01-02T00:00:00Z',
  mimetype: 'application/octet-stream',
  content: null,
  format: null,
  size: 10
});

/** The listing of `path` holding `names`. */
const folder = (path: string, ...names: string[]) => ({
  status: 200,
  body: {
    ...model(path),
    name: path.split('/').pop() ?? '',
    type: 'directory',
    format: 'json',
    content: names.map(n => model(path ? `${path}/${n}` : n))
  }
});

/**
 * A drive browser's model as far as uploads go, with the events it emitted; its paths
 * go through a real ContentsManager that knows the drive.
 */
function target(
  netdrive: NetDrive,
  path: string
): {
  browser: UploadTarget;
  events: string[];
} {
  const events: string[] = [];
  const contents = new ContentsManager({
    serverSettings: netdrive.serverSettings
  });
  contents.addDrive(netdrive);
  const browser = {
    allowFileUploads: true,
    path,
    manager: { services: { contents } },
    upload: () => Promise.reject(new Error('JupyterLab uploader used'))
  } as unknown as UploadTarget;
  const changed = new Signal<
    FileBrowserModel,
    IChangedArgs<IUploadModel | null>
  >(browser as unknown as FileBrowserModel);
  changed.connect((_, args) => {
    const value = args.newValue ?? args.oldValue;
    events.push(`${args.name} ${value?.path} ${value?.progress}`);
  });
  Object.defineProperty(browser, 'uploadChanged', { value: changed });
  return { browser, events };
}

function drive(routes: Parameters<typeof fakeServer>[0]): {
  netdrive: NetDrive;
  seen: ISeen[];
} {
  const { settings, seen } = fakeServer(routes);
  return {
    netdrive: new NetDrive({
      name: 'dept',
      serverSettings: settings,
      uploadPart: 4
    }),
    seen
  };
}

// A Blob with a name: this test environment's File is not a subclass of its Blob.
const file = (name: string, size: number): File =>
  Object.assign(new Blob([Uint8Array.from({ length: size }, (_, i) => i)]), {
    name
  }) as File;

describe('streamUploads', () => {
  it('streams a file into the folder shown, with progress in the status bar', async () => {
    const { netdrive, seen } = drive({
      [`GET ${ROOT}/contents/in`]: folder('in', 'other.bin'),
      [`PUT ${RAW}/in/data.bin`]: { status: 200, body: model('in/data.bin') }
    });
    const { browser, events } = target(netdrive, 'atrium-nd-dept:in');
    const asked: string[] = [];
    streamUploads(browser, netdrive, {
      confirmOverwrite: async name => {
        asked.push(name);
        return true;
      }
    });
    const saved = await browser.upload(file('data.bin', 10));
    expect(saved.path).toBe('atrium-nd-dept:in/data.bin');
    expect(asked).toEqual([]);
    expect(seen.map(s => `${s.method} ${s.path}`)).toEqual([
      `GET ${ROOT}/contents/in?content=1&type=directory`,
      `PUT ${RAW}/in/data.bin?chunk=1`,
      `PUT ${RAW}/in/data.bin?chunk=2`,
      `PUT ${RAW}/in/data.bin?chunk=-1`
    ]);
    expect(seen.slice(1).flatMap(s => Array.from(s.bytes ?? []))).toEqual(
      Array.from({ length: 10 }, (_, i) => i)
    );
    expect(events).toEqual([
      'start atrium-nd-dept:in/data.bin 0',
      'update atrium-nd-dept:in/data.bin 0.4',
      'update atrium-nd-dept:in/data.bin 0.8',
      'update atrium-nd-dept:in/data.bin 1',
      'finish atrium-nd-dept:in/data.bin 1'
    ]);
  });

  it('replaces an existing file only after the user says so', async () => {
    const { netdrive, seen } = drive({
      [`GET ${ROOT}/contents/`]: folder('', 'old.bin'),
      [`PUT ${RAW}/old.bin`]: { status: 200, body: model('old.bin') }
    });
    const { browser, events } = target(netdrive, 'atrium-nd-dept:');
    let answer = false;
    streamUploads(browser, netdrive, { confirmOverwrite: async () => answer });
    await expect(browser.upload(file('old.bin', 3))).rejects.toThrow(
      'File not uploaded'
    );
    expect(seen.filter(s => s.method === 'PUT')).toEqual([]);
    expect(events).toEqual([]);
    answer = true;
    await browser.upload(file('old.bin', 3));
    expect(seen.filter(s => s.method === 'PUT').map(s => s.path)).toEqual([
      `${RAW}/old.bin`
    ]);
  });

  it('puts the files of a dropped folder into its subfolder', async () => {
    const { netdrive, seen } = drive({
      [`GET ${ROOT}/contents/in/sub`]: folder('in/sub'),
      [`PUT ${RAW}/in/sub/a.txt`]: { status: 201, body: model('in/sub/a.txt') }
    });
    const { browser } = target(netdrive, 'atrium-nd-dept:in');
    streamUploads(browser, netdrive);
    await browser.upload(file('a.txt', 2), 'atrium-nd-dept:in/sub');
    expect(seen.map(s => s.path)).toEqual([
      `${ROOT}/contents/in/sub?content=1&type=directory`,
      `${RAW}/in/sub/a.txt`
    ]);
  });

  it('refuses when uploads are disabled, and reports a failed upload', async () => {
    const { netdrive, seen } = drive({
      [`GET ${ROOT}/contents/`]: folder(''),
      [`PUT ${RAW}/x.bin`]: s =>
        s.path.endsWith('chunk=-1')
          ? {
              status: 507,
              body: { message: 'The share is full.', reason: 'full' }
            }
          : { status: 200, body: model('x.bin') }
    });
    const { browser, events } = target(netdrive, 'atrium-nd-dept:');
    streamUploads(browser, netdrive);
    browser.allowFileUploads = false;
    await expect(browser.upload(file('x.bin', 6))).rejects.toThrow(
      'File uploads are disabled'
    );
    expect(seen).toEqual([]);
    browser.allowFileUploads = true;
    await expect(browser.upload(file('x.bin', 6))).rejects.toThrow(
      'The share is full.'
    );
    expect(events).toEqual([
      'start atrium-nd-dept:x.bin 0',
      'update atrium-nd-dept:x.bin 0.6666666666666666',
      'failure atrium-nd-dept:x.bin 0.6666666666666666'
    ]);
  });

  it('sends nothing when the folder cannot be listed', async () => {
    const { netdrive, seen } = drive({
      [`GET ${ROOT}/contents/`]: {
        status: 409,
        body: { message: 'The drive is not connected.', reason: 'disconnected' }
      }
    });
    const { browser } = target(netdrive, 'atrium-nd-dept:');
    streamUploads(browser, netdrive);
    await expect(browser.upload(file('y.bin', 1))).rejects.toThrow(
      'The drive is not connected.'
    );
    expect(seen.map(s => s.method)).toEqual(['GET']);
  });
});
