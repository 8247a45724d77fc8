import * as fs from 'fs';
import * as path from 'path';

// The build's loader (webpack.config.js) is plain Node; its one function, typed here.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { stripCssComments } = require('../../../scripts/css-comments') as {
  stripCssComments: (css: string) => string;
};

describe('the CSS comment loader', () => {
  it('drops comments and keeps every rule', () => {
    const css =
      '/* why the banner is fixed */\n' +
      'body > .a {\n  position: fixed; /* over the shell */\n  top: 0;\n}\n' +
      '/*\n * several\n * lines\n */\n\n\n\n.b{color:red}\n';
    expect(stripCssComments(css)).toBe(
      '\nbody > .a {\n  position: fixed; \n  top: 0;\n}\n\n.b{color:red}\n'
    );
  });

  it('leaves what looks like a comment inside a string alone', () => {
    const css =
      '.a::before { content: "/* not a comment */"; }\n' +
      ".b::after { content: '\\' /*'; } /* gone */\n" +
      '.c { background: url("data:image/svg+xml;utf8,<svg/>"); }';
    expect(stripCssComments(css)).toBe(
      '.a::before { content: "/* not a comment */"; }\n' +
        ".b::after { content: '\\' /*'; } \n" +
        '.c { background: url("data:image/svg+xml;utf8,<svg/>"); }'
    );
  });

  it('treats an unclosed comment as running to the end, as browsers do', () => {
    expect(stripCssComments('.a { top: 0 }\n/* unclosed .b { top: 1px }')).toBe(
      '.a { top: 0 }\n'
    );
  });

  it('strips the comments out of the style module every page loads', () => {
    // What would otherwise be shipped: style/*.css explains itself in comments.
    const dir = path.join(__dirname, '..', '..', '..', 'style');
    for (const name of fs.readdirSync(dir).filter(n => n.endsWith('.css'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const stripped = stripCssComments(text);
      expect(stripped).not.toContain('/*');
      // Nothing but comments and blank lines went.
      expect(stripped.replace(/\s+/g, '')).toBe(
        text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, '')
      );
    }
  });
});
