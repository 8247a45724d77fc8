#!/usr/bin/env bash
# The Debian packages `make test` needs beside Python and Node.js: Chromium for the UI tests,
# PostgreSQL for the hub-mode store, Samba and smbclient for the network-drive tests against a
# real share, rclone and fuse3 for the optional FUSE mode, bubblewrap for the grading
# sandbox. One list, used by `make test` (which
# runs this before building anything) and by .ci/run through it.
#
#   bash scripts/system-deps.sh           install what is missing (as root), or say how
#   bash scripts/system-deps.sh --check   only report; exit 1 when something is missing
set -euo pipefail

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

missing=()
need() { # need PACKAGE TEST-COMMAND...
  local package=$1
  shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
need chromium command -v chromium
need postgresql compgen -G '/usr/lib/postgresql/*/bin/initdb'
need samba command -v smbd
need smbclient command -v smbclient
need rclone command -v rclone
need fuse3 command -v fusermount3
need bubblewrap command -v bwrap

((${#missing[@]})) || exit 0

command="apt-get install -y ${missing[*]}"
if ((check_only)) || [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "make test needs these Debian packages, which are missing: ${missing[*]}" >&2
  echo "Install them first, then run make test again:" >&2
  echo "    sudo apt-get update && sudo $command" >&2
  echo "(or, as root: bash scripts/system-deps.sh)" >&2
  exit 1
fi

echo "Installing the Debian packages make test needs: ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
