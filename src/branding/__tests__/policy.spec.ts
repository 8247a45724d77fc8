import { PageConfig } from '@jupyterlab/coreutils';

import {
  activeBranding,
  assetUrl,
  isSafeHref,
  parseBrandingPolicy,
  parseInlineTokens,
  readBrandingPolicy
} from '../policy';
import { IBrandingPolicy, InlineToken } from '../types';
import { publishServerPolicy } from '../../common/__tests__/serverPolicy';
import { demoPolicy } from './sample';

const HOSTILE = '--jp-x: red; } body { display:none';

/** Deliberately untyped: these tests write values the contract types forbid. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function broken(change: (policy: Json) => void): unknown {
  const policy = demoPolicy() as unknown as Json;
  change(policy);
  return policy;
}

describe('parseBrandingPolicy', () => {
  it('accepts what the server publishes for the demo brand', () => {
    const policy = demoPolicy();
    expect(parseBrandingPolicy(policy)).toEqual(policy);
    expect(parseBrandingPolicy(JSON.parse(JSON.stringify(policy)))).toEqual(
      policy
    );
  });

  it('accepts a spec the server refused, and no spec at all', () => {
    const refused: IBrandingPolicy = {
      enabled: true,
      branding: null,
      error: 'brand.json: name: required',
      warnings: []
    };
    expect(parseBrandingPolicy(refused)).toEqual(refused);
    expect(activeBranding(parseBrandingPolicy(refused))).toBeNull();
    const none = { enabled: false, branding: null, error: null, warnings: [] };
    expect(activeBranding(parseBrandingPolicy(none))).toBeNull();
  });

  it('applies a brand without logo, favicon or notice', () => {
    const policy = broken(p => {
      p.branding.logo = null;
      p.branding.favicon = null;
      p.branding.notice = null;
    });
    expect(activeBranding(parseBrandingPolicy(policy))?.name).toBe(
      'Northbridge Notebooks'
    );
  });

  it.each<[string, (p: Json) => void]>([
    ['no enabled flag', p => delete p.enabled],
    ['warnings that are not a list', p => (p.warnings = 'low contrast')],
    ['a numeric error', p => (p.error = 1)],
    ['no name', p => delete p.branding.name],
    ['an empty name', p => (p.branding.name = '  ')],
    ['a hostile colour value', p => (p.branding.css.light['--jp-x'] = HOSTILE)],
    [
      'a hostile property name',
      p => (p.branding.css.light[HOSTILE] = '#ffffff')
    ],
    [
      'a property that is not a --jp- variable',
      p => (p.branding.css.dark['background'] = '#ffffff')
    ],
    ['a named colour', p => (p.branding.css.dark['--jp-brand-color1'] = 'red')],
    [
      'a url() value',
      p => (p.branding.css.dark['--jp-brand-color1'] = 'url(javascript:x)')
    ],
    ['a missing dark palette', p => delete p.branding.css.dark],
    [
      'a logo on another site',
      p => (p.branding.logo.light = 'https://evil.example/logo.svg')
    ],
    [
      'a logo outside the assets',
      p => (p.branding.logo.dark = 'atrium/branding/assets/../../api/x')
    ],
    ['a javascript: logo link', p => (p.branding.logo.href = 'javascript:x')],
    [
      'a protocol-relative logo link',
      p => (p.branding.logo.href = '//evil.example/')
    ],
    ['a backslash logo link', p => (p.branding.logo.href = '/\\evil.example/')],
    [
      'a favicon as a data: URL',
      p => (p.branding.favicon.idle = 'data:image/svg+xml,<svg/>')
    ],
    [
      'a javascript: link in the notice',
      p => (p.branding.notice.tokens[2].href = 'javascript:alert(1)')
    ],
    [
      'a data: link in the notice',
      p => (p.branding.notice.tokens[2].href = 'data:text/html,<script>')
    ],
    [
      'an unknown token',
      p => p.branding.notice.tokens.push({ t: 'html', v: '<b>x</b>' })
    ],
    [
      'a token with a non-string value',
      p => (p.branding.notice.tokens[1].v = 42)
    ],
    ['an unknown level', p => (p.branding.notice.level = 'panic')],
    ['no position', p => (p.branding.notice.position = [])],
    ['a position twice', p => (p.branding.notice.position = ['top', 'top'])],
    ['an unknown position', p => (p.branding.notice.position = ['left'])],
    [
      'a notice colour that is not hex',
      p => (p.branding.notice.colors.background = HOSTILE)
    ],
    ['a notice id with markup', p => (p.branding.notice.id = '<img>')],
    ['dismissible as a string', p => (p.branding.notice.dismissible = 'yes')]
  ])('refuses the whole branding for %s', (_label, change) => {
    expect(parseBrandingPolicy(broken(change))).toBeNull();
  });

  it.each([null, undefined, 'branding', [], 42])('refuses %p', raw => {
    expect(parseBrandingPolicy(raw)).toBeNull();
  });
});

describe('parseInlineTokens', () => {
  const text = (v: string): InlineToken => ({ t: 'text', v });

  it('keeps nested emphasis and code', () => {
    const tokens: InlineToken[] = [
      { t: 'em', c: [{ t: 'strong', c: [text('a')] }] },
      { t: 'code', v: '<b>' }
    ];
    expect(parseInlineTokens(tokens)).toEqual(tokens);
  });

  it('refuses a link inside a link, deep nesting and floods', () => {
    const inner = { t: 'link', href: 'https://a.example/', c: [text('x')] };
    expect(
      parseInlineTokens([{ t: 'link', href: 'https://b.example/', c: [inner] }])
    ).toBeNull();
    let deep: unknown = text('x');
    for (let i = 0; i < 20; i++) {
      deep = { t: 'em', c: [deep] };
    }
    expect(parseInlineTokens([deep])).toBeNull();
    expect(parseInlineTokens(Array(5000).fill(text('x')))).toBeNull();
  });
});

describe('isSafeHref', () => {
  it.each([
    'https://example.org/a?b=c#d',
    'http://localhost:8000/hub/home',
    'http://127.0.0.1/x',
    '/hub/home'
  ])('allows %s', href => expect(isSafeHref(href)).toBe(true));

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,x',
    'vbscript:x',
    'http://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    'https://example.org/"onmouseover="x',
    'relative/path',
    ''
  ])('refuses %p', href => expect(isSafeHref(href)).toBe(false));
});

describe('readBrandingPolicy', () => {
  afterEach(() => PageConfig.setOption('atrium', ''));

  it('reads the section from page_config_data["atrium"]', () => {
    publishServerPolicy({ branding: demoPolicy() });
    expect(activeBranding(readBrandingPolicy())?.name).toBe(
      'Northbridge Notebooks'
    );
  });

  it('is null without a policy or without a branding section', () => {
    expect(readBrandingPolicy()).toBeNull();
    expect(
      readBrandingPolicy({
        version: '0.1.0',
        apiVersion: 1,
        service: { mode: 'embedded' }
      })
    ).toBeNull();
  });
});

describe('assetUrl', () => {
  it('resolves an asset under the base URL, keeping its version', () => {
    expect(
      assetUrl(
        'atrium/branding/assets/logo.svg?v=1',
        'https://hub.example/user/ana/'
      )
    ).toBe('https://hub.example/user/ana/atrium/branding/assets/logo.svg?v=1');
  });
});
