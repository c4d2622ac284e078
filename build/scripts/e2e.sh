#!/usr/bin/env bash
# End-to-end tests: a throwaway PostgreSQL database with the demo CRM, then
# frontend/e2e/run.mjs (headless Chromium against `batchdesk serve`), then
# the database is dropped whatever happened.
#   e2e.sh BIN OUTDIR
# E2E_ONLY=remote,delete (see run.mjs) runs only those parts after the
# shell and connection steps.
set -euo pipefail
bin=$(realpath "$1"); out=$2
admin=${BATCHDESK_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}
db="bd_e2e_$$_$RANDOM"
url="${admin%/*}/$db"
psql -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $db"
trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
home=$(mktemp -d)
BATCHDESK_HOME=$home BATCHDESK_SECRETS=file BATCHDESK_PASSPHRASE=e2e "$bin" demo-crm --crm "$url" >/dev/null
rm -rf "$home"
# The FTP, OSS and SFTP servers the export steps send files to (loopback
# only; the OSS one checks the SDK's V4 signatures, see
# backend/destination/oss/osstest), and a
# second, throwaway cluster that checks passwords (the shared one trusts
# every login), with the demo CRM: the delete's password check is tested
# there. That cluster is skipped where initdb is missing, except under CI.
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools=$(mktemp -d)
cluster_pid=
trap 'kill "$cluster_pid" 2>/dev/null || true; wait "$cluster_pid" 2>/dev/null || true; rm -rf "$tools"; psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
(cd "$root" && go build -o "$tools/" ./build/e2eftp ./build/e2eoss ./build/e2esftp && go build -o "$tools/pgcluster" ./build/e2epg)
mkfifo "$tools/in"
"$tools/pgcluster" <"$tools/in" >"$tools/cluster.json" 2>"$tools/cluster.log" &
cluster_pid=$!
exec 9>"$tools/in" # the cluster lives while this script holds its stdin
for _ in $(seq 1 600); do
  [ -s "$tools/cluster.json" ] && break
  kill -0 "$cluster_pid" 2>/dev/null || break
  sleep 0.1
done
pgpass_url= pgpass_pw=
if [ -s "$tools/cluster.json" ]; then
  pgpass_url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$tools/cluster.json")
  pgpass_pw=$(sed -n 's/.*"password":"\([^"]*\)".*/\1/p' "$tools/cluster.json")
elif [ "${CI:-}" = true ]; then
  echo "e2e: the password-checking cluster did not start:" >&2; cat "$tools/cluster.log" >&2; exit 1
else
  echo "e2e: no password-checking cluster ($(tail -1 "$tools/cluster.log")): those delete steps are skipped" >&2
fi
cd "$root/frontend"
E2E_FTP_BIN=$tools/e2eftp E2E_OSS_BIN=$tools/e2eoss E2E_SFTP_BIN=$tools/e2esftp BATCHDESK_BIN=$bin BATCHDESK_E2E_PG=$url \
  BATCHDESK_E2E_PGPASS=$pgpass_url BATCHDESK_E2E_PGPASS_PASSWORD=$pgpass_pw \
  E2E_OUT=$out npm run --silent e2e
