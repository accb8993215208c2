#!/bin/sh
# Installs what the docs' browser tests need on a fresh Debian machine: Chromium from Debian's own
# package (driven by playwright-core, which downloads no browser). Safe to run again: it does
# nothing when /usr/bin/chromium is already there. Needs root (or sudo) for apt-get.
set -eu

if [ -x /usr/bin/chromium ]; then
  echo "docs: chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "docs: installing chromium with apt-get"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-liberation
/usr/bin/chromium --version
