/*
 * Merged by @jupyterlab/builder into its production config (package.json
 * "jupyterlab.webpackConfig"). The remoteEntry every page loads, Atrium on or off, maps
 * each chunk id to its file name, so its size grows with every lazy chunk (issue 16's
 * budgets):
 *
 * - 8 hex digits of content hash instead of webpack's 20: still a new name with every
 *   change of a chunk, which is all the cache needs of it.
 * - The builder names chunks `[name].[contenthash].js?v=[contenthash]`, which puts the
 *   whole id → hash map in the remoteEntry twice. Jupyter's static handler only looks at
 *   whether `v` is there (then it lets browsers cache the file); the name already changes
 *   with the content, so `v` carries the package version instead and the map is written
 *   once.
 */
const { version } = require('./package.json');

module.exports = {
  output: {
    hashDigestLength: 8,
    filename: `[name].[contenthash].js?v=${version}`
  }
};
