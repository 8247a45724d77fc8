import { nullTranslator } from '@jupyterlab/translation';
import * as fs from 'fs';
import * as path from 'path';

import {
  concreteServers,
  describeShareError,
  formatShare,
  parseShare,
  serverAllowed,
  ShareErrorCode
} from '../share';

interface IShareCase {
  input: string;
  valid: boolean;
  server: string | null;
  port?: number;
  share: string | null;
  folder: string | null;
  error?: ShareErrorCode;
  note?: string;
}

const FIXTURE = path.resolve(
  __dirname,
  '../../../tests/fixtures/netdrive/shares.json'
);
const cases: IShareCase[] = JSON.parse(fs.readFileSync(FIXTURE, 'utf-8'));
const trans = nullTranslator.load('jupyterlab_atrium');

describe('parseShare against the shared fixture', () => {
  it('has cases of every kind', () => {
    expect(cases.filter(c => c.valid).length).toBeGreaterThan(10);
    const codes = new Set(cases.map(c => c.error).filter(Boolean));
    // Every error code is exercised at least once.
    expect(codes.size).toBe(13);
  });

  it.each(cases.map(c => [JSON.stringify(c.input).slice(0, 60), c]))(
    '%s',
    (_label, c) => {
      const parsed = parseShare(c.input);
      if (c.valid) {
        expect(parsed).toEqual({
          ok: true,
          server: c.server,
          port: c.port ?? 445,
          share: c.share,
          folder: c.folder
        });
      } else {
        expect(parsed.ok).toBe(false);
        expect(parsed.ok ? null : parsed.error).toBe(c.error);
      }
    }
  );
});

describe('share messages', () => {
  it('explains every refused fixture address in a sentence', () => {
    for (const c of cases.filter(c => !c.valid)) {
      const parsed = parseShare(c.input);
      if (parsed.ok) {
        throw new Error(`accepted ${c.input}`);
      }
      const message = describeShareError(parsed.error, parsed.detail, trans);
      expect(message.length).toBeGreaterThan(20);
    }
  });

  it('names the offending character and port', () => {
    const comma = parseShare('\\\\fs\\dept,uid=0');
    expect(comma).toEqual({ ok: false, error: 'forbidden-char', detail: ',' });
    expect(describeShareError('forbidden-char', ',', trans)).toContain('","');
    const port = parseShare('smb://fs:99999/x');
    expect(
      port.ok ? '' : describeShareError(port.error, port.detail, trans)
    ).toBe('The port "99999" is not a number between 1 and 65535.');
    expect(describeShareError('forbidden-char', '%', trans)).toContain(
      'percent-encoded'
    );
  });
});

describe('formatShare', () => {
  it('writes UNC on the default port and smb:// otherwise', () => {
    expect(
      formatShare({ server: 'fs', port: 445, share: 'dept', folder: 'a/b' })
    ).toBe('\\\\fs\\dept\\a\\b');
    expect(
      formatShare({ server: 'fs', port: 4450, share: 'dept', folder: '' })
    ).toBe('smb://fs:4450/dept');
  });

  it('round-trips through parseShare', () => {
    for (const c of cases.filter(c => c.valid)) {
      const parsed = parseShare(c.input);
      if (!parsed.ok) {
        throw new Error(`refused ${c.input}`);
      }
      expect(parseShare(formatShare(parsed))).toEqual(parsed);
    }
  });
});

interface IAllowedCase {
  patterns: string[];
  server: string;
  port: number;
  allowed: boolean;
  note?: string;
}

const allowed: { cases: IAllowedCase[] } = JSON.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../tests/fixtures/netdrive/allowed-servers.json'
    ),
    'utf-8'
  )
);

describe('serverAllowed against the shared fixture', () => {
  it.each(
    allowed.cases.map(c => [
      `${JSON.stringify(c.patterns)} ${c.server}:${c.port}`,
      c
    ])
  )('%s', (_label, c) => {
    expect(serverAllowed(c.server, c.port, c.patterns)).toBe(c.allowed);
  });

  it('reads host:port patterns, as the server does', () => {
    const address = parseShare('//127.0.0.1:14455/dept');
    expect(address.ok).toBe(true);
    if (address.ok) {
      expect(
        serverAllowed(address.server, address.port, ['127.0.0.1:14455'])
      ).toBe(true);
      expect(serverAllowed(address.server, 445, ['127.0.0.1:14455'])).toBe(
        false
      );
    }
  });

  it('offers only patterns that name one server', () => {
    expect(concreteServers(['fs1.uni', '*.dept.uni', 'fs?'])).toEqual([
      'fs1.uni'
    ]);
  });
});
