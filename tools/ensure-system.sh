#!/usr/bin/env bash
# Install the system programs officenet needs when they are missing, from Debian's packages
# (as root or with sudo); otherwise say which command to run. Never downloads anything else.
#   usage: tools/ensure-system.sh command:package [command:package ...]
set -euo pipefail
missing=()
for pair in "$@"; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "officenet needs: ${missing[*]}. Install them with your package manager (conda: 'conda install -c conda-forge ${missing[*]}')." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "officenet needs: ${missing[*]}. Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# haproxy's package starts a service; the project only uses its configuration check.
if [[ " ${missing[*]} " == *" haproxy "* ]] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now haproxy >/dev/null 2>&1 || true
fi
for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || { echo "could not install ${pair#*:}" >&2; exit 1; }; done
