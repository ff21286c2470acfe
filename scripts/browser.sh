#!/usr/bin/env bash
# Headless Chromium and its WebDriver for the browser tests (the tension map):
# Debian's chromium and chromium-driver, installed when missing.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "browser: chromium and chromium-driver are missing; install them (Debian packages, needs root)" >&2
  exit 1
fi
echo "browser: installing chromium and chromium-driver (Debian packages)" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
