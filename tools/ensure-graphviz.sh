#!/usr/bin/env bash
# Install Graphviz's `dot` when it is missing: Debian's package as root or with sudo,
# otherwise say which command to run. Never guesses a download.
set -euo pipefail
if command -v dot >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "officenet needs Graphviz's 'dot'. Install it with your package manager (conda: 'conda install -c conda-forge graphviz'; macOS: 'brew install graphviz')." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "officenet needs Graphviz's 'dot'. Run: sudo apt-get update && sudo apt-get install -y graphviz" >&2
  exit 1
fi
echo "Installing Graphviz (Debian package 'graphviz')..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz >/dev/null
command -v dot >/dev/null
