import { nullTranslator } from '@jupyterlab/translation';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { NetDriveManager } from '../manager';
import { IPanelActions, NetDrivePanel } from '../panel';
import { IDriveInfo } from '../types';
import { fakeServer, sampleDrive } from './fake';

const API = 'atrium/api/netdrive';
const trans = nullTranslator.load('jupyterlab_atrium');

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(probe()).toBe(true);
}

const actions: IPanelActions = {
  connectNew: () => undefined,
  connect: async () => undefined,
  disconnect: async () => undefined,
  forget: async () => undefined,
  open: () => undefined,
  reconnectAll: async () => undefined,
  refresh: async () => undefined
};

describe('NetDrivePanel', () => {
  it('shows a drive whose server stopped answering as unreachable, and recovered', async () => {
    const listed: { drive: IDriveInfo } = {
      drive: {
        ...sampleDrive,
        name: 'a',
        displayName: 'Drive a',
        state: 'unreachable',
        error:
          "The drive 'Drive a' is not answering. The server fileserver did not answer within 30 seconds."
      }
    };
    const { settings } = fakeServer({
      [`GET ${API}/drives`]: () => ({
        status: 200,
        body: { items: [listed.drive] }
      })
    });
    const manager = new NetDriveManager({
      contents: { addDrive: () => undefined },
      serverSettings: settings,
      recheckInterval: 3_600_000
    });
    await manager.refresh();
    const panel = new NetDrivePanel({
      manager,
      trans,
      actions,
      describe: () => ''
    });
    Widget.attach(panel, document.body);
    MessageLoop.sendMessage(panel, Widget.Msg.UpdateRequest);
    const row = () =>
      panel.node.querySelector('[data-atrium-drive="a"]') as HTMLElement | null;
    await until(() => row() !== null);

    expect(row()!.getAttribute('data-atrium-state')).toBe('unreachable');
    expect(row()!.querySelector('.jp-Atrium-NetDrive-state')!.textContent).toBe(
      'unreachable'
    );
    expect(
      row()!.querySelector('.jp-Atrium-NetDrive-driveError')!.textContent
    ).toContain('did not answer');
    // Still connected: it can be opened and disconnected, not connected again.
    const buttons = () =>
      Array.from(row()!.querySelectorAll('[data-atrium-action]')).map(b =>
        b.getAttribute('data-atrium-action')
      );
    expect(buttons()).toEqual(['open', 'disconnect', 'forget']);
    const reconnectAll = panel.node.querySelector(
      '[data-atrium-action="reconnect-all"]'
    ) as HTMLButtonElement;
    expect(reconnectAll.disabled).toBe(true);

    listed.drive = { ...sampleDrive, name: 'a', displayName: 'Drive a' };
    await manager.refresh();
    await until(() => row()!.getAttribute('data-atrium-state') === 'connected');
    expect(row()!.querySelector('.jp-Atrium-NetDrive-state')!.textContent).toBe(
      'connected'
    );
    expect(row()!.querySelector('.jp-Atrium-NetDrive-driveError')).toBeNull();
    panel.dispose();
    manager.dispose();
  });
});
