#!/usr/bin/env bash
# Makes sure the PostgreSQL that tests use answers (BATCHDESK_TEST_PG, default
# 127.0.0.1:5432, user postgres): starts the machine's cluster when it is
# down, installs Debian's postgresql when there is none.
set -euo pipefail
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if [ -n "${BATCHDESK_TEST_PG:-}" ]; then exit 0; fi   # someone else's server
command -v pg_isready >/dev/null && ready && exit 0
if [ ! -d /etc/postgresql ] || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "pg: installing Debian's postgresql"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  # Tests log in as postgres over TCP without a password, as on the CI machines.
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  sudo_ sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
fi
ver=$(ls /etc/postgresql | sort -V | tail -1)
echo "pg: starting cluster $ver/main"
sudo_ pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "pg: PostgreSQL at 127.0.0.1:5432 does not answer" >&2
exit 1
