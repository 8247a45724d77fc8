import { TranslationBundle } from '@jupyterlab/translation';

/**
 * Client-side reading of a share address, so the dialog can say what is wrong while the
 * user types. The server re-validates every address with the same rules and is the
 * authority; both sides are tested against `tests/fixtures/netdrive/shares.json`.
 *
 * Accepted forms (the prefix is required, components may be separated by `\` or `/`):
 *   `\\server\share\folder`, `//server/share/folder`, `smb://server/share/folder`,
 *   each with an optional `:port` after the server.
 *
 * The one rule (`jupyterlab_atrium/netdrive/share.py` implements the same):
 * - server: a host name (labels of letters, digits, `_`, inner `-`; no trailing `.`) or a
 *   canonical dotted-quad IPv4 address; IPv6 literals are refused. A host whose last label is
 *   a number is read as IPv4 by resolvers (`12345`, `1.2.3`, `010.0.0.1`), so it must be one.
 * - share and folder names: no `,` `=` `%` `:` `*` `?` `"` `<` `>` `|` (the share name also
 *   no `[` `]` `+` `;`), not `.` or `..` (`a..b` is a name), not starting with `-`, not
 *   starting or ending with a space; share at most 80 characters, each folder name at most
 *   255, the folder at most 1024.
 */

/** Why an address was refused; the codes are shared with the server's tests. */
export type ShareErrorCode =
  | 'control-char'
  | 'empty'
  | 'scheme'
  | 'prefix'
  | 'server-missing'
  | 'credentials'
  | 'port'
  | 'server'
  | 'share-missing'
  | 'empty-component'
  | 'forbidden-char'
  | 'dot-segment'
  | 'too-long';

export interface IShareAddress {
  /** Host name or IPv4 address, lower case. */
  server: string;
  /** TCP port, 445 unless the address names another. */
  port: number;
  /** The share name as typed. */
  share: string;
  /** '' or 'a/b': the folder inside the share, '/'-separated. */
  folder: string;
}

export type ShareParse =
  | ({ ok: true } & IShareAddress)
  | { ok: false; error: ShareErrorCode; detail?: string };

export const DEFAULT_SMB_PORT = 445;
export const MAX_SHARE_NAME = 80;
export const MAX_FOLDER = 1024;
export const MAX_FOLDER_NAME = 255;

/**
 * Control and format characters (Unicode Cc, Cf, Zl, Zp: newlines, NUL, zero-width and
 * bidi overrides, line/paragraph separators) and lone surrogates (Cs: no UTF-8 encodes
 * them), as the server's check.
 */
export const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/**
 * Characters refused in share and folder names: option and path injection (`,` `=` `%`)
 * and what Windows never allows in a name anyway.
 */
const FORBIDDEN = /[,=%:*?"<>|]/;
/** Also refused in the share name: what Windows never allows in one. */
const SHARE_FORBIDDEN = /[[\]+;]/;
const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;
const NUMERIC_LABEL = /^([0-9]+|0x[0-9a-f]*)$/;
const IPV4 =
  /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** Length in characters (code points), as Python's `len`: the limits count these. */
export function charCount(value: string): number {
  return Array.from(value).length;
}

function fail(error: ShareErrorCode, detail?: string): ShareParse {
  return detail === undefined
    ? { ok: false, error }
    : { ok: false, error, detail };
}

/** Whether `host` (already lower case) is a host name or an IPv4 address. */
export function isValidHost(host: string): boolean {
  if (!host || host.length > 253) {
    return false;
  }
  const labels = host.split('.');
  if (!labels.every(label => LABEL.test(label))) {
    return false;
  }
  if (NUMERIC_LABEL.test(labels[labels.length - 1])) {
    const ip = IPV4.exec(host);
    return !!ip && ip.slice(1).every(part => Number(part) <= 255);
  }
  return true;
}

/**
 * Parse a share address. Leading and trailing spaces are ignored; control characters
 * anywhere (a pasted newline too) are refused.
 */
export function parseShare(input: string): ShareParse {
  const control = CONTROL.exec(input);
  if (control) {
    return fail('control-char');
  }
  const text = input.trim();
  if (!text) {
    return fail('empty');
  }
  let rest: string;
  if (text.startsWith('\\\\') || text.startsWith('//')) {
    rest = text.slice(2);
  } else if (/^smb:\/\//i.test(text)) {
    rest = text.slice(6);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    return fail('scheme');
  } else {
    return fail('prefix');
  }

  const parts = rest.split(/[\\/]/);
  if (parts.length > 1 && parts[parts.length - 1] === '') {
    parts.pop();
  }
  const authority = parts[0];
  if (!authority) {
    return fail('server-missing');
  }
  if (authority.includes('@')) {
    return fail('credentials');
  }
  if (authority.startsWith('[')) {
    // IPv6 literals are not supported (their colons would read as a port).
    return fail('server', authority);
  }
  let host = authority;
  let port = DEFAULT_SMB_PORT;
  const colon = authority.lastIndexOf(':');
  if (colon >= 0) {
    host = authority.slice(0, colon);
    const digits = authority.slice(colon + 1);
    port = /^\d{1,5}$/.test(digits) ? Number(digits) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      return fail('port', digits);
    }
  }
  host = host.toLowerCase();
  if (!isValidHost(host)) {
    return fail('server', host);
  }
  if (parts.length < 2) {
    return fail('share-missing');
  }
  const names = parts.slice(1);
  if (names.some(name => name === '')) {
    return fail('empty-component');
  }
  for (const [index, name] of names.entries()) {
    const bad =
      FORBIDDEN.exec(name) ?? (index === 0 ? SHARE_FORBIDDEN.exec(name) : null);
    if (bad) {
      return fail('forbidden-char', bad[0]);
    }
    if (name === '.' || name === '..') {
      return fail('dot-segment');
    }
    if (name.startsWith('-')) {
      return fail('forbidden-char', '-');
    }
    if (name.startsWith(' ') || name.endsWith(' ') || name.trim() === '') {
      return fail('forbidden-char', ' ');
    }
  }
  const share = names[0];
  const folder = names.slice(1).join('/');
  if (
    charCount(share) > MAX_SHARE_NAME ||
    charCount(folder) > MAX_FOLDER ||
    names.some(name => charCount(name) > MAX_FOLDER_NAME)
  ) {
    return fail('too-long');
  }
  return { ok: true, server: host, port, share, folder };
}

/**
 * The usual way to write an address: UNC (`\\server\share\folder`) on the default port,
 * an `smb://` URL when the port must be named.
 */
export function formatShare(address: IShareAddress): string {
  if (address.port !== DEFAULT_SMB_PORT) {
    const tail = address.folder ? `/${address.folder}` : '';
    return `smb://${address.server}:${address.port}/${address.share}${tail}`;
  }
  const tail = address.folder ? `\\${address.folder.replace(/\//g, '\\')}` : '';
  return `\\\\${address.server}\\${address.share}${tail}`;
}

/** A glob (`*` any run of characters, `?` one character) as a whole-string RegExp. */
function globRegExp(glob: string): RegExp {
  const source = glob
    .split('')
    .map(c =>
      c === '*'
        ? '.*'
        : c === '?'
          ? '.'
          : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    )
    .join('');
  return new RegExp(`^${source}$`, 's');
}

/**
 * Whether the admin's `allowed_servers` patterns allow `server` on `port`: a pattern is a
 * host glob with an optional port glob (`fs*.uni.example`, `127.0.0.1:14455`, `fs:44*`),
 * matched case-insensitively as the server's `fnmatch`; without a port any port is allowed.
 * No patterns: every server. Only a hint: the server enforces its policy itself (both held
 * to `tests/fixtures/netdrive/allowed-servers.json`).
 */
export function serverAllowed(
  server: string,
  port: number,
  patterns: readonly string[]
): boolean {
  if (patterns.length === 0) {
    return true;
  }
  const host = server.toLowerCase();
  return patterns.some(pattern => {
    const [hostGlob, portGlob = '*'] = pattern.toLowerCase().split(':', 2);
    return (
      globRegExp(hostGlob).test(host) && globRegExp(portGlob).test(String(port))
    );
  });
}

/** Allowed-server patterns that name one server, offered as suggestions. */
export function concreteServers(patterns: readonly string[]): string[] {
  return patterns.filter(p => !/[*?[\]]/.test(p));
}

/** A sentence for a refused address, in the user's language. */
export function describeShareError(
  error: ShareErrorCode,
  detail: string | undefined,
  trans: TranslationBundle
): string {
  switch (error) {
    case 'control-char':
      return trans.__(
        'The address contains a line break or another control character.'
      );
    case 'empty':
      return trans.__('Enter the address of a share, e.g. \\\\server\\share.');
    case 'scheme':
      return trans.__(
        'Only SMB addresses can be connected: \\\\server\\share, //server/share or smb://server/share.'
      );
    case 'prefix':
      return trans.__(
        'Start the address with \\\\ (\\\\server\\share), // or smb://.'
      );
    case 'server-missing':
      return trans.__('The address names no server.');
    case 'credentials':
      return trans.__(
        'Do not put a user name or password in the address: use the fields below.'
      );
    case 'port':
      return trans.__(
        'The port "%1" is not a number between 1 and 65535.',
        detail ?? ''
      );
    case 'server':
      return detail?.startsWith('[')
        ? trans.__(
            'IPv6 addresses are not supported: use the host name of the server.'
          )
        : trans.__(
            'The server "%1" is not a valid host name or IPv4 address.',
            detail ?? ''
          );
    case 'share-missing':
      return trans.__(
        'Add the name of the share after the server, e.g. \\\\server\\share.'
      );
    case 'empty-component':
      return trans.__('The address contains two separators in a row.');
    case 'forbidden-char':
      if (detail === '%') {
        return trans.__(
          'The character "%" is not allowed: write names as they are, not percent-encoded.'
        );
      }
      if (detail === '-') {
        return trans.__('Share and folder names must not start with "-".');
      }
      if (detail === ' ') {
        return trans.__(
          'Share and folder names must not be blank or start or end with a space.'
        );
      }
      return trans.__(
        'The character "%1" is not allowed in share or folder names.',
        detail ?? ''
      );
    case 'dot-segment':
      return trans.__('"." and ".." are not allowed as folder names.');
    case 'too-long':
      return trans.__(
        'The share name (at most %1 characters), a folder name (at most %2) or the folder (at most %3) is too long.',
        MAX_SHARE_NAME,
        MAX_FOLDER_NAME,
        MAX_FOLDER
      );
  }
}
