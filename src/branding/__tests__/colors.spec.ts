import { buildColorCss, injectColors } from '../colors';
import { demoPolicy } from './sample';

describe('buildColorCss', () => {
  it('writes one rule per theme kind on body[data-jp-theme-light]', () => {
    const css = buildColorCss({
      light: {
        '--jp-brand-color1': '#0b5394',
        '--jp-accent-color1': '#b45f06'
      },
      dark: { '--jp-brand-color1': '#6fa8dc' }
    });
    expect(css).toBe(
      "body[data-jp-theme-light='true'] {\n" +
        '  --jp-brand-color1: #0b5394;\n' +
        '  --jp-accent-color1: #b45f06;\n' +
        '}\n' +
        "body[data-jp-theme-light='false'] {\n" +
        '  --jp-brand-color1: #6fa8dc;\n' +
        '}\n'
    );
  });

  it("adds the notice's own colours", () => {
    const css = buildColorCss(
      { light: {}, dark: {} },
      { background: '#7a4b00', text: '#fff' }
    );
    expect(css).toBe(
      'body {\n' +
        '  --jp-atrium-notice-background: #7a4b00;\n' +
        '  --jp-atrium-notice-color: #fff;\n' +
        '}\n'
    );
  });

  it('drops anything that is not a --jp- name with a hex colour', () => {
    const hostile = '--jp-x: red; } body { display:none';
    const css = buildColorCss(
      {
        light: {
          [hostile]: '#ffffff',
          '--jp-brand-color1': hostile,
          '--jp-brand-color2': 'red',
          'background-image': '#ffffff',
          '--jp-brand-color3': '#abc'
        },
        dark: {}
      },
      { background: 'url(x)', text: '#000' }
    );
    expect(css).not.toContain('display');
    expect(css).not.toContain('url(');
    expect(css).not.toContain('background-image');
    expect(css).toBe(
      "body[data-jp-theme-light='true'] {\n" +
        '  --jp-brand-color3: #abc;\n' +
        '}\n' +
        'body {\n' +
        '  --jp-atrium-notice-color: #000;\n' +
        '}\n'
    );
    // Exactly one opening and one closing brace per rule: nothing was smuggled in.
    expect(css.split('{').length).toBe(css.split('}').length);
  });
});

describe('injectColors', () => {
  it('adds one style element and removes it again', () => {
    const branding = demoPolicy().branding!;
    const disposable = injectColors(
      buildColorCss(branding.css, branding.notice!.colors)
    );
    const styles = document.head.querySelectorAll(
      'style[data-atrium-branding="colors"]'
    );
    expect(styles).toHaveLength(1);
    expect(styles[0].textContent).toContain('--jp-brand-color1: #0b5394;');
    expect(styles[0].textContent).toContain('--jp-brand-color1: #6fa8dc;');
    disposable.dispose();
    expect(disposable.isDisposed).toBe(true);
    expect(
      document.head.querySelectorAll('style[data-atrium-branding]')
    ).toHaveLength(0);
  });

  it('lets the theme attribute pick the palette (jsdom computes custom properties)', () => {
    const disposable = injectColors(
      buildColorCss({
        light: { '--jp-brand-color1': '#0b5394' },
        dark: { '--jp-brand-color1': '#6fa8dc' }
      })
    );
    const value = () =>
      getComputedStyle(document.body)
        .getPropertyValue('--jp-brand-color1')
        .trim();
    document.body.dataset.jpThemeLight = 'true';
    expect(value()).toBe('#0b5394');
    document.body.dataset.jpThemeLight = 'false';
    expect(value()).toBe('#6fa8dc');
    disposable.dispose();
    expect(value()).toBe('');
    delete document.body.dataset.jpThemeLight;
  });
});
