import { PageConfig } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';

import {
  rememberedDrives,
  restoringDrive,
  takeDriveTreePath
} from '../restore';
import { fakeServer } from './fake';

describe('takeDriveTreePath', () => {
  afterEach(() => PageConfig.setOption('treePath', ''));

  it('takes a drive path from the page address, leaves others to JupyterLab', () => {
    PageConfig.setOption('treePath', 'notebooks/a.ipynb');
    expect(takeDriveTreePath()).toBeNull();
    expect(PageConfig.getOption('treePath')).toBe('notebooks/a.ipynb');

    PageConfig.setOption('treePath', 'atrium-nd-dept:project/a.ipynb');
    expect(takeDriveTreePath()).toBe('atrium-nd-dept:project/a.ipynb');
    expect(PageConfig.getOption('treePath')).toBe('');
  });
});

describe('restoringDrive', () => {
  it('forwards every call to the real drive, with the real drive as `this`', async () => {
    const calls: string[] = [];
    class Real {
      readonly tag = 'real';
      async get(path: string, options?: Contents.IFetchOptions) {
        calls.push(`${this.tag} get ${path} ${JSON.stringify(options)}`);
        return { path } as Contents.IModel;
      }
      async rename(from: string, to: string) {
        calls.push(`${this.tag} rename ${from} ${to}`);
        return { path: to } as Contents.IModel;
      }
    }
    let opened = 0;
    const real = new Real() as unknown as Contents.IDrive;
    const stand = restoringDrive(
      'dept',
      ServerConnection.makeSettings(),
      async () => {
        opened++;
        return real;
      }
    );
    expect(stand.name).toBe('atrium-nd-dept');
    await expect(stand.get('a.txt', { content: false })).resolves.toEqual({
      path: 'a.txt'
    });
    await stand.rename('a.txt', 'b.txt');
    expect(calls).toEqual([
      'real get a.txt {"content":false}',
      'real rename a.txt b.txt'
    ]);
    expect(opened).toBe(2);
  });
});

describe('rememberedDrives', () => {
  it('lists the names, and none when the server has no drives API', async () => {
    const { settings } = fakeServer({
      'GET atrium/api/netdrive/drives': {
        status: 200,
        body: { items: [{ name: 'a' }, { name: 'b' }, {}] }
      }
    });
    await expect(rememberedDrives(settings)).resolves.toEqual(['a', 'b']);
    const missing = fakeServer({}).settings;
    await expect(rememberedDrives(missing)).resolves.toEqual([]);
  });
});
