import { nullTranslator } from '@jupyterlab/translation';

import { AtriumRequestError } from '../../common/request';
import {
  changeField,
  connectRequest,
  describeConnectFailure,
  IConnectFields,
  initialFields,
  signInAs,
  suggestedDisplayName,
  validateFields
} from '../form';
import { samplePolicy } from './fake';

const trans = nullTranslator.load('jupyterlab_atrium');

const good: IConnectFields = {
  share: '\\\\fileserver\\dept\\project',
  domain: 'UNI',
  username: 'ada',
  password: 's3cret, with = and %',
  displayName: '',
  readOnly: false
};

describe('initialFields', () => {
  it('takes the domain and read-only default from the policy', () => {
    expect(
      initialFields({
        ...samplePolicy,
        defaultDomain: 'KLINIK',
        readOnlyDefault: true
      })
    ).toMatchObject({ domain: 'KLINIK', readOnly: true, password: '' });
    expect(initialFields(null)).toMatchObject({ domain: '', readOnly: false });
  });
});

describe('validateFields', () => {
  it('accepts a complete form; passwords may contain any printable character', () => {
    expect(validateFields(good, samplePolicy, trans, 'all')).toEqual({});
  });

  it('reports required fields only once touched (or on submit)', () => {
    const empty = initialFields(samplePolicy);
    expect(validateFields(empty, samplePolicy, trans, new Set())).toEqual({});
    expect(
      Object.keys(
        validateFields(empty, samplePolicy, trans, new Set(['share']))
      )
    ).toEqual(['share']);
    expect(
      Object.keys(validateFields(empty, samplePolicy, trans, 'all'))
    ).toEqual(['share', 'username', 'password']);
  });

  it('reports malformed input as it is typed', () => {
    const errors = validateFields(
      { ...good, share: '\\\\fs\\dept,uid=0', username: 'UNI\\ada,x' },
      samplePolicy,
      trans,
      new Set()
    );
    expect(errors.share).toBe(
      'The character "," is not allowed in share or folder names.'
    );
    expect(errors.username).toBe('The character "," is not allowed here.');
  });

  it.each([
    ['domain', 'UNI\nX'],
    ['domain', 'UNI,X'],
    ['domain', 'UNI DOMAIN'],
    ['username', 'ada=1'],
    ['username', 'a..b'],
    ['username', 'a'.repeat(129)],
    ['username', 'KLINIK\\bob@uni.example'],
    ['password', 'a\u0000b'],
    ['displayName', 'x'.repeat(81)],
    ['displayName', 'Data, 2024'],
    ['displayName', 'a\u0000b']
  ] as [keyof IConnectFields, string][])('refuses %s %j', (field, value) => {
    const errors = validateFields(
      { ...good, [field]: value },
      samplePolicy,
      trans,
      'all'
    );
    expect(Object.keys(errors)).toEqual([field]);
  });

  // What the server accepts, the dialog accepts (issue 11): the domain in the user name
  // (with the Domain field filled in or not), the server's lengths, characters it allows.
  it.each([
    ['username', 'UNI\\alice'],
    ['username', 'KLINIK\\bob'],
    ['username', 'alice@uni.example'],
    ['username', 'a'.repeat(128)],
    ['username', 'a[1]+b'],
    ['username', '\u{1F600}'.repeat(128)],
    ['displayName', 'x'.repeat(80)],
    ['displayName', 'Daten [2024] + Notizen'],
    ['domain', 'a'.repeat(255)],
    ['password', 'tab\there']
  ] as [keyof IConnectFields, string][])('accepts %s %j', (field, value) => {
    expect(
      validateFields({ ...good, [field]: value }, samplePolicy, trans, 'all')
    ).toEqual({});
  });

  it('says who it signs in as', () => {
    expect(
      signInAs({ ...good, username: 'UNI\\alice', domain: '' }, null)
    ).toBe('UNI\\alice');
    expect(signInAs({ ...good, username: 'KLINIK\\bob' }, samplePolicy)).toBe(
      'KLINIK\\bob'
    );
    expect(
      signInAs({ ...good, username: 'alice@uni.example' }, samplePolicy)
    ).toBe('alice@uni.example');
    expect(signInAs({ ...good, domain: '' }, samplePolicy)).toBe('UNI\\ada');
    expect(signInAs({ ...good, domain: '' }, null)).toBe('ada');
    expect(signInAs({ ...good, username: 'a,b' }, samplePolicy)).toBeNull();
  });

  it('allows a server named with its port (host:port patterns)', () => {
    const policy = { ...samplePolicy, allowedServers: ['127.0.0.1:14455'] };
    expect(
      validateFields(
        { ...good, share: '//127.0.0.1:14455/dept' },
        policy,
        trans,
        'all'
      )
    ).toEqual({});
    expect(
      validateFields(
        { ...good, share: '//127.0.0.1:1445/dept' },
        policy,
        trans,
        'all'
      ).share
    ).toBe('Your administrator allows only these servers: 127.0.0.1:14455');
  });

  it('offers only the servers the admin allows', () => {
    const policy = { ...samplePolicy, allowedServers: ['*.uni.example'] };
    expect(
      validateFields(
        { ...good, share: '\\\\fs1.uni.example\\dept' },
        policy,
        trans,
        'all'
      )
    ).toEqual({});
    expect(validateFields(good, policy, trans, 'all').share).toBe(
      'Your administrator allows only these servers: *.uni.example'
    );
  });
});

describe('connectRequest', () => {
  it('normalises the share, trims names and names the drive after its folder', () => {
    expect(
      connectRequest({
        ...good,
        share: ' smb://FileServer/dept/project/ ',
        username: ' ada '
      })
    ).toEqual({
      share: '\\\\fileserver\\dept\\project',
      domain: 'UNI',
      username: 'ada',
      password: 's3cret, with = and %',
      displayName: 'project',
      readOnly: false
    });
    expect(suggestedDisplayName('//fs/dept')).toBe('dept');
    expect(suggestedDisplayName('nonsense')).toBe('');
    // Only a valid display name is proposed (the server would refuse "a;b").
    expect(suggestedDisplayName('//fs/dept/a;b')).toBe('dept');
    expect(
      connectRequest({ ...good, share: '//fs/dept/a;b' }).displayName
    ).toBe('dept');
  });
});

describe('changeField', () => {
  const empty = initialFields(null);
  const typed = (fields: IConnectFields, share: string) =>
    changeField(fields, 'share', share);

  it('fills the display name from the share as it is typed', () => {
    let fields = typed(empty, '\\\\server');
    expect(fields.displayName).toBe('');
    fields = typed(fields, '\\\\server\\Finance');
    expect(fields).toMatchObject({
      share: '\\\\server\\Finance',
      displayName: 'Finance'
    });
    fields = typed(fields, '\\\\server\\Finance\\Q3 reports');
    expect(fields.displayName).toBe('Q3 reports');
    fields = typed(fields, 'smb://server/Finance');
    expect(fields.displayName).toBe('Finance');
    // An address that is not valid (yet) proposes nothing.
    expect(typed(fields, 'smb://server/').displayName).toBe('');
  });

  it('keeps a display name the user typed', () => {
    let fields = typed(empty, '//server/Finance');
    fields = changeField(fields, 'displayName', 'Money');
    fields = typed(fields, '//server/Sales');
    expect(fields.displayName).toBe('Money');
    // Cleared by the user: it follows the share again.
    fields = changeField(fields, 'displayName', '');
    expect(typed(fields, '//server/HR').displayName).toBe('HR');
  });

  it('changes only the field given otherwise', () => {
    const fields = typed(empty, '//server/Finance');
    expect(changeField(fields, 'readOnly', true)).toEqual({
      ...fields,
      readOnly: true
    });
    expect(changeField(fields, 'username', 'ada').displayName).toBe('Finance');
  });
});

describe('describeConnectFailure', () => {
  const fail = (status: number, reason: string, message = '') =>
    describeConnectFailure(
      new AtriumRequestError(message, status, reason),
      trans,
      { server: 'fileserver', maxDrives: 5 }
    );

  it.each([
    [401, 'bad-credentials', 'password', 'refused this user name and password'],
    [404, 'share-not-found', 'share', 'no share or folder by this name'],
    [504, 'unreachable', 'share', 'The server fileserver does not answer'],
    [403, 'access-denied', null, 'may not open this share'],
    [403, 'not-allowed', 'share', 'does not allow connecting'],
    [409, 'too-many-drives', null, 'You already have 5 network drives'],
    [409, 'name-taken', 'displayName', 'Choose another display name'],
    [502, 'smb-error', null, 'The file server reported an error']
  ])('%s %s → %s', (status, reason, field, text) => {
    const failure = fail(status, reason);
    expect(failure.field).toBe(field);
    expect(failure.message).toContain(text);
  });

  it("keeps the server's message where it says more", () => {
    expect(fail(400, 'invalid-field', 'domain: too long').message).toBe(
      'domain: too long'
    );
    // Next to the field the server names.
    const failure = describeConnectFailure(
      new AtriumRequestError(
        'User name: must not contain a comma.',
        400,
        'invalid-field',
        'username'
      ),
      trans
    );
    expect(failure).toEqual({
      field: 'username',
      message: 'User name: must not contain a comma.'
    });
    expect(
      describeConnectFailure(
        new AtriumRequestError(
          'Name: must be 1-32 ...',
          400,
          'invalid-field',
          'name'
        ),
        trans
      ).field
    ).toBeNull();
    expect(
      fail(
        403,
        'not-allowed',
        "The server 'x' is not allowed. Allowed servers: fs."
      ).message
    ).toBe("The server 'x' is not allowed. Allowed servers: fs.");
    expect(fail(400, 'invalid-share', 'bad share').field).toBe('share');
    expect(fail(0, 'network-error').message).toContain('does not answer');
  });
});
