/*
 * Merged by @jupyterlab/builder into its production config (package.json
 * "jupyterlab.webpackConfig"). The remoteEntry every page loads, Atrium on or off, maps
 * each chunk id to its content hash twice (file name and ?v=); 8 hex digits instead of
 * webpack's 20 keep that map 24 bytes a chunk smaller (issue 16's budgets) and still
 * change with every change of a chunk, which is all the cache needs of them.
 */
module.exports = {
  output: {
    hashDigestLength: 8
  }
};
