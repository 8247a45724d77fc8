#!/usr/bin/env bash
# Startup benchmark (time to app.restored, Atrium on vs off); see bench/startup.js.
# Usage: bash bench/startup.sh [N]   (or BENCH_LOADS=N)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export PATH="$repo/.venv/bin:$PATH"
exec node "$here/startup.js" "$@"
