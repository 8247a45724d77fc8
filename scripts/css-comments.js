/*
 * A webpack loader (webpack.config.js) that drops comments from the extension's CSS.
 * css-loader keeps them, and the style module is fetched on every page with Atrium on,
 * so the comments that explain style/*.css cost every user bytes before `restored`
 * (issue 16's budget). Strings are copied untouched, so `content: "/*"` survives.
 */
'use strict';

function stripCssComments(css) {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const c = css[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c && css[j] !== '\n') {
        j += css[j] === '\\' ? 2 : 1;
      }
      out += css.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      // An unclosed comment runs to the end of the file, as in a browser.
      i = end === -1 ? css.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/\n[ \t]*\n(?:[ \t]*\n)+/g, '\n\n');
}

module.exports = function cssCommentsLoader(source) {
  return stripCssComments(String(source));
};
module.exports.stripCssComments = stripCssComments;
