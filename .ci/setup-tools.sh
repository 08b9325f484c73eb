#!/usr/bin/env bash
# Installs the outside tools the tests check against, each only when missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
need_apt() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
need_font() { [ -e "$1" ] || apt_packages+=("$2"); }

# Diagrams: Graphviz renders the DOT output; headless Chromium opens the approval packet.
need_apt dot graphviz
need_apt chromium chromium
need_font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core

if [ ${#apt_packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi
