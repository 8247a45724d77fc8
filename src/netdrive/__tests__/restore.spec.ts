import { PageConfig } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';

import {
  registerRestoringDrives,
  rememberedDrives,
  restoringDrive,
  takeDriveTreePath
} from '../restore';

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
  it("reads the names from the page config's JSON list, and none from anything else", () => {
    expect(rememberedDrives('["a", "b", "", 3, null]')).toEqual(['a', 'b']);
    expect(rememberedDrives('')).toEqual([]);
    expect(rememberedDrives('{"a": 1}')).toEqual([]);
    expect(rememberedDrives('not json')).toEqual([]);
  });
});

describe('registerRestoringDrives', () => {
  afterEach(() => PageConfig.setOption('atriumDrives', ''));

  it('registers a stand-in for each drive the page config names, at once', () => {
    PageConfig.setOption('atriumDrives', JSON.stringify(['ward', 'lab']));
    const added: string[] = [];
    registerRestoringDrives(
      { addDrive: drive => void added.push(drive.name) },
      ServerConnection.makeSettings(),
      () => Promise.reject(new Error('not opened in this test'))
    );
    expect(added).toEqual(['atrium-nd-ward', 'atrium-nd-lab']);
  });
});
