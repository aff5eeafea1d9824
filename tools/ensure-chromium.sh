#!/usr/bin/env bash
# Install Chromium for the browser tests when it is missing: Debian's package as root or
# with sudo, otherwise say which command to run. Playwright never downloads its own browser.
set -euo pipefail
if [ -n "${OFFICENET_CHROMIUM:-}" ] && [ -x "$OFFICENET_CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "officenet's browser tests need Chromium. Install it with your package manager, or set OFFICENET_CHROMIUM to a Chromium binary." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "officenet's browser tests need Chromium. Run: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Chromium (Debian package 'chromium')..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
