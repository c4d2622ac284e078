#!/usr/bin/env bash
# End-to-end tests: a throwaway PostgreSQL database with the demo CRM, then
# frontend/e2e/run.mjs (headless Chromium against `batchdesk serve`), then
# the database is dropped whatever happened.
#   e2e.sh BIN OUTDIR
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
# The FTP server the export steps send files to (loopback only).
tools=$(mktemp -d)
trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$tools"' EXIT
(cd "$(dirname "$0")/../.." && go build -o "$tools/e2eftp" ./build/e2eftp)
cd "$(dirname "$0")/../../frontend"
E2E_FTP_BIN=$tools/e2eftp BATCHDESK_BIN=$bin BATCHDESK_E2E_PG=$url E2E_OUT=$out npm run --silent e2e
