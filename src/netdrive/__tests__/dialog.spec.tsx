import { nullTranslator } from '@jupyterlab/translation';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { AtriumRequestError } from '../../common/request';
import { ConnectBody, ConnectDialog } from '../dialog';
import { IConnectRequest, IDriveInfo } from '../types';
import { holdsString, sampleDrive, samplePolicy } from './fake';

const trans = nullTranslator.load('jupyterlab_atrium');

async function rendered(widget: ConnectBody): Promise<void> {
  MessageLoop.sendMessage(widget, Widget.Msg.UpdateRequest);
  await widget.renderPromise;
  await new Promise(resolve => setTimeout(resolve, 0));
}

/** Type into a React-controlled input the way a browser does. */
function type(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function input(body: ConnectBody, name: string): HTMLInputElement {
  return body.node.querySelector(`input[name="${name}"]`) as HTMLInputElement;
}

function errorFor(body: ConnectBody, name: string): string | null {
  return (
    body.node.querySelector(`[data-atrium-error-for="${name}"]`)?.textContent ??
    null
  );
}

function fill(body: ConnectBody): void {
  body.setField('share', '\\\\fileserver\\dept\\project');
  body.setField('username', 'ada');
  body.setField('password', 'hunter2');
}

describe('ConnectBody', () => {
  let body: ConnectBody;
  let requests: IConnectRequest[];
  let answer: () => Promise<IDriveInfo>;

  beforeEach(async () => {
    requests = [];
    answer = () => Promise.resolve({ ...sampleDrive });
    body = new ConnectBody({
      policy: {
        ...samplePolicy,
        allowedServers: ['fileserver', '*.uni.example']
      },
      trans,
      connect: request => {
        requests.push(request);
        return answer();
      }
    });
    Widget.attach(body, document.body);
    await rendered(body);
  });

  afterEach(() => {
    body.dispose();
  });

  it('renders the fields with safe autocomplete and the policy defaults', () => {
    const password = input(body, 'password');
    expect(password.type).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('new-password');
    for (const name of ['share', 'domain', 'username', 'displayName']) {
      expect(input(body, name).getAttribute('autocomplete')).toBe('off');
    }
    expect(input(body, 'domain').value).toBe('UNI');
    expect(input(body, 'readOnly').checked).toBe(false);
    const labels = Array.from(body.node.querySelectorAll('label')).map(
      l => l.textContent
    );
    expect(labels).toEqual([
      'Share',
      'Domain',
      'User name',
      'Password',
      'Display name',
      'Read-only'
    ]);
    // Allowed servers: concrete ones are offered, all are listed.
    const options = Array.from(body.node.querySelectorAll('datalist option'));
    expect(options.map(o => o.getAttribute('value'))).toEqual([
      '\\\\fileserver\\'
    ]);
    expect(body.node.textContent).toContain(
      'Allowed servers: fileserver, *.uni.example'
    );
  });

  it('validates the share as the user types', async () => {
    const share = input(body, 'share');
    type(share, '\\\\fileserver\\dept\\..');
    await rendered(body);
    expect(errorFor(body, 'share')).toBe(
      '"." and ".." are not allowed as folder names.'
    );
    expect(share.getAttribute('aria-invalid')).toBe('true');
    expect(share.getAttribute('aria-describedby')).toContain('-share-error');
    type(share, '\\\\evil.example\\dept');
    await rendered(body);
    expect(errorFor(body, 'share')).toContain('allows only these servers');
    type(share, '\\\\fs1.uni.example\\dept');
    await rendered(body);
    expect(errorFor(body, 'share')).toBeNull();
    // The display name is filled in from the share's last component.
    expect(input(body, 'displayName').placeholder).toBe('dept');
    expect(input(body, 'displayName').value).toBe('dept');
  });

  it('refuses to send an incomplete form', async () => {
    await expect(body.submit()).resolves.toBeNull();
    await rendered(body);
    expect(requests).toEqual([]);
    expect(errorFor(body, 'share')).toContain('Enter the address');
    expect(errorFor(body, 'username')).toContain('Enter your user name');
    expect(errorFor(body, 'password')).toBe('Enter your password.');
  });

  it('keeps the typed fields after a refusal and shows the specific error', async () => {
    fill(body);
    answer = () =>
      Promise.reject(
        new AtriumRequestError('Logon failure', 401, 'bad-credentials')
      );
    await expect(body.submit()).resolves.toBeNull();
    await rendered(body);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      share: '\\\\fileserver\\dept\\project',
      username: 'ada',
      password: 'hunter2',
      domain: 'UNI',
      displayName: 'project'
    });
    expect(errorFor(body, 'password')).toContain(
      'refused this user name and password'
    );
    expect(input(body, 'share').value).toBe('\\\\fileserver\\dept\\project');
    expect(input(body, 'username').value).toBe('ada');
    // Kept while the dialog is open, so only the user name needs fixing.
    expect(input(body, 'password').value).toBe('hunter2');
  });

  it("sends what the server allows: host:port policy, the user's domain, its lengths", async () => {
    const local = new ConnectBody({
      policy: {
        ...samplePolicy,
        defaultDomain: 'UNI',
        allowedServers: ['127.0.0.1:14455']
      },
      trans,
      connect: request => {
        requests.push(request);
        return Promise.resolve({ ...sampleDrive });
      }
    });
    Widget.attach(local, document.body);
    try {
      await rendered(local);
      type(input(local, 'share'), '//127.0.0.1:14455/dept');
      type(input(local, 'username'), 'UNI\\alice');
      type(input(local, 'password'), 'hunter2');
      type(input(local, 'displayName'), 'd'.repeat(80));
      await rendered(local);
      expect(errorFor(local, 'share')).toBeNull();
      expect(errorFor(local, 'username')).toBeNull();
      expect(local.node.textContent).toContain('Signs in as UNI\\alice.');
      type(input(local, 'username'), 'KLINIK\\bob');
      await rendered(local);
      expect(local.node.textContent).toContain('Signs in as KLINIK\\bob.');
      await expect(local.submit()).resolves.toMatchObject({ name: 'dept' });
      expect(requests).toEqual([
        {
          share: 'smb://127.0.0.1:14455/dept',
          domain: 'UNI',
          username: 'KLINIK\\bob',
          password: 'hunter2',
          displayName: 'd'.repeat(80),
          readOnly: false
        }
      ]);
    } finally {
      local.dispose();
    }
  });

  it("shows the server's reason next to the field it names", async () => {
    fill(body);
    answer = () =>
      Promise.reject(
        new AtriumRequestError(
          'Display name: must not contain a comma.',
          400,
          'invalid-field',
          'displayName'
        )
      );
    await expect(body.submit()).resolves.toBeNull();
    await rendered(body);
    expect(errorFor(body, 'displayName')).toBe(
      'Display name: must not contain a comma.'
    );
    expect(
      body.node
        .querySelector('[data-atrium-error-for="displayName"]')
        ?.getAttribute('role')
    ).toBe('alert');
    expect(body.node.querySelector('.jp-Atrium-NetDrive-formError')).toBeNull();
  });

  it('shows a general error where no field is to blame', async () => {
    fill(body);
    answer = () =>
      Promise.reject(new AtriumRequestError('', 403, 'access-denied'));
    await body.submit();
    await rendered(body);
    expect(
      body.node.querySelector('.jp-Atrium-NetDrive-formError')?.textContent
    ).toContain('may not open this share');
    expect(
      body.node
        .querySelector('.jp-Atrium-NetDrive-formError')
        ?.getAttribute('role')
    ).toBe('alert');
  });

  it('shows progress while connecting and clears the password on success', async () => {
    fill(body);
    let finish: (info: IDriveInfo) => void = () => undefined;
    answer = () => new Promise(resolve => (finish = resolve));
    const busy: boolean[] = [];
    body.onBusyChanged = b => busy.push(b);
    const pending = body.submit();
    await rendered(body);
    const progress = body.node.querySelector('.jp-Atrium-NetDrive-progress');
    expect(progress?.getAttribute('role')).toBe('status');
    expect(progress?.textContent).toContain(
      'Connecting to \\\\fileserver\\dept\\project'
    );
    expect(input(body, 'password').disabled).toBe(true);
    finish({ ...sampleDrive });
    await expect(pending).resolves.toMatchObject({ name: 'dept' });
    expect(busy).toEqual([true, false]);
    expect(body.getValue()?.name).toBe('dept');
    expect(body.fields.password).toBe('');
    await rendered(body);
    expect(input(body, 'password').value).toBe('');
    // React may keep the previous render until it unmounts, which closing does.
    body.dispose();
    expect(holdsString(body, 'hunter2')).toBe(false);
  });

  it('forgets the password when closed', () => {
    fill(body);
    expect(holdsString(body, 'hunter2')).toBe(true);
    body.dispose();
    expect(holdsString(body, 'hunter2')).toBe(false);
  });
});

describe('ConnectDialog', () => {
  it('stays open after a refusal and closes with the drive on success', async () => {
    let fail = true;
    const body = new ConnectBody({
      policy: samplePolicy,
      trans,
      connect: () =>
        fail
          ? Promise.reject(new AtriumRequestError('', 504, 'unreachable'))
          : Promise.resolve({ ...sampleDrive })
    });
    const dialog = new ConnectDialog(body, trans);
    const result = dialog.launch();
    fill(body);
    dialog.resolve();
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(dialog.isAttached).toBe(true);
    expect(body.failure?.message).toContain(
      'The server fileserver does not answer'
    );
    fail = false;
    dialog.resolve();
    const closed = await result;
    expect(closed.button.accept).toBe(true);
    expect(closed.value?.name).toBe('dept');
    dialog.dispose();
  });

  it('cancels without sending anything', async () => {
    const connect = jest.fn();
    const body = new ConnectBody({ policy: null, trans, connect });
    const dialog = new ConnectDialog(body, trans);
    const result = dialog.launch();
    fill(body);
    dialog.resolve(0);
    expect((await result).button.accept).toBe(false);
    expect(connect).not.toHaveBeenCalled();
    dialog.dispose();
  });
});
