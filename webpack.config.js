/*
 * Merged by @jupyterlab/builder into its production config (package.json
 * "jupyterlab.webpackConfig"). The remoteEntry every page loads, Atrium on or off, holds
 * the runtime's chunk-loading code, so whatever it writes per chunk is paid on every page
 * (issue 16's budgets).
 *
 * Chunk files are named by id alone and carry the build's hash in `?v=`: the builder's
 * `[name].[contenthash].js?v=[contenthash]` (and the content-hash names before it) make
 * the remoteEntry hold an id → hash map with one entry per lazy chunk, which grows with
 * every lazy chunk a feature adds (nbdime's diff brings several). With one hash for the
 * whole build the map is gone: the URL still changes whenever the build does, which is
 * what the cache needs (Jupyter's static handler lets browsers keep a file requested with
 * `v`), at the cost of fetching a lazy chunk again after an upgrade even when its own
 * content did not change.
 *
 * Ids by size (small numbers for the most used modules and chunks) instead of hashes of
 * their paths: they are written in the remoteEntry's shared-module maps and in every chunk,
 * and with one build hash in the URLs their stability across builds buys nothing.
 *
 * package.json's "sharedPackages", for the same reason: nbdime (the gallery diff) is not
 * offered to other extensions (`false`: a shared package is registered, with its chunk
 * list, in the remoteEntry), and @jupyterlab/nbformat, which nbdime uses at run time, is
 * taken from JupyterLab as a singleton like the rest of @jupyterlab/* (as a strict
 * non-singleton it would bring a second version-check routine into the remoteEntry).
 * Everything nbdime imports from JupyterLab, Lumino and CodeMirror comes from the page.
 *
 * Atrium's own CSS loses its comments (scripts/css-comments.js) before the builder's css-loader
 * turns it into JavaScript: a rule with `enforce: 'pre'` adds a loader to the builder's
 * own chain for the same files instead of a second chain.
 */
const path = require('path');

module.exports = {
  module: {
    rules: [
      {
        test: /(?<!\.raw)\.css$/,
        include: path.resolve(__dirname, 'style'),
        enforce: 'pre',
        use: path.resolve(__dirname, 'scripts', 'css-comments.js')
      }
    ]
  },
  output: {
    hashDigestLength: 8,
    filename: '[name].js?v=[fullhash]'
  },
  optimization: { chunkIds: 'size', moduleIds: 'size' }
};
