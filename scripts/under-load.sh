#!/usr/bin/env bash
# Run a test command N times in a row with both cores kept busy by stress-ng, the way CI's
# shared machine can be: a test that only passes on a quiet machine fails here.
#
#   bash scripts/under-load.sh 10 make test-py
#   bash scripts/under-load.sh 3 make test-ui
#   bash scripts/under-load.sh 20 .venv/bin/python -m pytest tests/test_netdrive_api.py
#
# Stops at the first failing run and says which; stress-ng is stopped on every exit.
set -euo pipefail

runs=${1:?usage: under-load.sh RUNS COMMAND...}
shift
(($#)) || { echo "usage: under-load.sh RUNS COMMAND..." >&2; exit 2; }
command -v stress-ng >/dev/null || { echo "needs Debian's stress-ng: apt-get install stress-ng" >&2; exit 2; }

# Bounded even if this script is killed outright: stress-ng ends itself after 6 hours.
stress-ng --cpu "$(nproc)" --timeout 6h --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null; wait "$stress" 2>/dev/null || true' EXIT

for ((run = 1; run <= runs; run++)); do
  started=$SECONDS
  echo "=== run $run of $runs under load (load average: $(cut -d' ' -f1-3 /proc/loadavg)): $*"
  if ! "$@"; then
    echo "=== run $run of $runs FAILED after $((SECONDS - started)) s" >&2
    exit 1
  fi
  echo "=== run $run of $runs passed in $((SECONDS - started)) s"
done
echo "=== all $runs runs passed under load"
