#!/usr/bin/env bash
# Installs what building, running and testing Batchdesk needs on Debian 12,
# skipping whatever is already there so a second run takes a second.
#   deps.sh apt     Debian packages (GTK/WebKit for Wails, Xvfb, Chromium, fonts,
#                   vsftpd for the FTP destination tests, sqlite3 for the
#                   sandbox floor of make bench)
#   deps.sh npm     npm 11 and the frontend's packages (npm ci)
#   deps.sh wails   the pinned Wails CLI
set -euo pipefail
cd "$(dirname "$0")/../.."

WAILS_VERSION=v2.16.0
APT_PACKAGES=(libgtk-3-dev libwebkit2gtk-4.0-dev pkg-config build-essential
  xvfb xauth imagemagick xdotool x11-utils chromium fonts-noto-cjk
  vsftpd sqlite3)

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_deps() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "deps: installing Debian packages: ${missing[*]}"
  for try in 1 2; do
    if sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q &&
       sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
         --no-install-recommends "${missing[@]}"; then
      return 0
    fi
    echo "deps: apt failed (try $try), retrying once"; sleep 5
  done
  return 1
}

npm_deps() {
  local major
  major=$(npm --version | cut -d. -f1)
  if [ "$major" -lt 11 ]; then
    echo "deps: npm $(npm --version) is too old for Vite 8; installing npm 11"
    sudo_ npm i -g npm@11
  fi
  # npm ci only when the lock file changed since the last install.
  if [ ! -f frontend/node_modules/.batchdesk-stamp ] ||
     [ frontend/package-lock.json -nt frontend/node_modules/.batchdesk-stamp ]; then
    (cd frontend && npm ci --no-audit --no-fund)
    touch frontend/node_modules/.batchdesk-stamp
  fi
}

wails_cli() {
  local bin
  bin="$(go env GOPATH)/bin/wails"
  if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "$WAILS_VERSION"; then return 0; fi
  echo "deps: installing the Wails CLI $WAILS_VERSION"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
}

for what in "$@"; do
  case "$what" in
    apt) apt_deps ;;
    npm) npm_deps ;;
    wails) wails_cli ;;
    *) echo "deps.sh: unknown part $what" >&2; exit 2 ;;
  esac
done
