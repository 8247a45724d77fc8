#!/usr/bin/env bash
# Run a command and fail if it changed the git work tree: a tracked file modified or deleted,
# or a file git does not ignore created or changed. CI wraps `make test` in it (.ci/run), so a
# test that writes into the repository (as the UI tests once rewrote docs/images/*.png; that is
# `make screenshots`' job now) fails the build instead of leaving the tree dirty.
#
#   bash scripts/tree-unchanged.sh COMMAND…
#   ATRIUM_TREE_PATHS="docs/images" bash scripts/tree-unchanged.sh COMMAND…   # only these paths
#
# The command's own exit status wins when it fails.
set -euo pipefail
# Paths are relative to the repository's top; the command runs where it was started.
top=$(git rev-parse --show-toplevel)
read -r -a paths <<<"${ATRIUM_TREE_PATHS:-.}"

# What the tree holds now: status, the content of every change, and of every untracked file.
# --no-optional-locks: never take index.lock, so commits made meanwhile are not disturbed.
snapshot() (
  cd "$top"
  git --no-optional-locks status --porcelain=v1 --untracked-files=all -- "${paths[@]}"
  git --no-optional-locks diff --no-ext-diff --binary -- "${paths[@]}" | sha1sum
  git --no-optional-locks ls-files -z --others --exclude-standard -- "${paths[@]}" |
    xargs -0 -r sha1sum
)

before=$(snapshot)
"$@"
after=$(snapshot)
if [[ "$before" != "$after" ]]; then
  echo "tree-unchanged: '$*' changed the work tree (files git does not ignore):" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
