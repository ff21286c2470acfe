#!/usr/bin/env bash
# The virtual environment, reproduced from requirements.lock with uv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
UV_VERSION=0.13.9
py=""
for cand in python3.11 python3; do
  if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    py=$(command -v "$cand"); break
  fi
done
[ -n "$py" ] || { echo "install: Python 3.11 is required" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
if [ ! -x .venv/bin/uv ] || ! .venv/bin/uv --version | grep -q "$UV_VERSION"; then
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip --upgrade >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
.venv/bin/uv pip sync --quiet --python .venv/bin/python requirements.lock
# the personal-data gate's names, extracted once from names-dataset (a package: no download)
PYTHONPATH=plugins .venv/bin/python -m tranquillite.pii.names ensure
# the destruction certificate's Unicode font (compliance/certificate.py)
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] && [ -z "${TRQ_CERTIFICATE_FONT_DIR:-}" ]; then
  [ "$(id -u)" = 0 ] || { echo "install: the font package fonts-dejavu-core is required (Debian)" >&2; exit 1; }
  echo "install: installing fonts-dejavu-core (Debian package)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null
fi
# Leaflet for the tension map, which inlines it: the map opens with no network
lock_sum=$(sha256sum package-lock.json | cut -c1-64)
if [ "$(cat node_modules/.trq-lock 2>/dev/null)" != "$lock_sum" ]; then
  if ! command -v npm >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "install: npm is required (Node.js; Debian package npm)" >&2; exit 1; }
    echo "install: installing npm (Debian package)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$lock_sum" > node_modules/.trq-lock
fi
touch .venv/.synced
echo "install: .venv in step with requirements.lock"
