#!/usr/bin/env bash
# Installs what the end-to-end tests drive: headless Chromium and the Pub/Sub emulator
# (Java), and for the Python client's tests a python3 with numpy, pytest and venv (Debian's,
# when no python3 on PATH has them). Debian/Ubuntu, as root. `.ci/run` and `npm test` (when it finds them missing) call it.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  apt-get install -y -qq "$@"
}

command -v chromium >/dev/null || apt_install chromium
command -v java >/dev/null || apt_install default-jre-headless
EMULATOR=/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator
if [ ! -x "$EMULATOR" ]; then
  apt_install google-cloud-cli-pubsub-emulator || {
    echo "The Pub/Sub emulator is missing and could not be installed: see README (Test prerequisites)." >&2
    exit 1
  }
fi
python_ready() {
  local python
  for python in "${STREAMVIS_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$python" ] && "$python" -c 'import numpy, pytest' 2>/dev/null && return 0
  done
  return 1
}
python_ready || apt_install python3-numpy python3-pytest python3-venv
