#!/usr/bin/env bash
# A VM's boot path, for real, on this machine: build the release with the
# repo's script, install it into an empty folder the way the VM does (checksum,
# npm ci --omit=dev), write the env files the generated cloud-config writes,
# start the app from them as the systemd unit would, wait for /ready, and run
# the smoke test. Only what needs Azure differs: Node comes from this machine,
# secrets.env is written here instead of by azure-fetch.mjs (tested on its own
# in test/azure-fetch.test.ts), and the database is the local MariaDB, without
# TLS because it has no certificate (DB_SSL=false overrides the VM's true).
# BOOT_DB_* override the database (defaults: the CI MariaDB, polling_test).
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(dirname "$infra")"
db_host="${BOOT_DB_HOST:-127.0.0.1}"
db_port="${BOOT_DB_PORT:-3306}"
db_name="${BOOT_DB_NAME:-polling_test}"
db_user="${BOOT_DB_USER:-polling}"
db_pass="${BOOT_DB_PASS:-polling}"

work="$(mktemp -d)"
app_pid=""
cleanup() {
  if [[ -n "$app_pid" ]]; then kill "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "boot-path: $*"; }

OUT_DIR="$work/release" "$root/scripts/release.sh" >/dev/null
tarball="$(ls "$work"/release/polling-app-*.tgz)"
listing="$(tar -tzf "$tarball")"
if grep -q '/node_modules/' <<<"$listing" \
  || ! grep -q '^polling-app-[^/]*/dist/server.js$' <<<"$listing"; then
  say "FAILED: $tarball carries node_modules or lacks dist/server.js" >&2
  exit 1
fi
say "built $(basename "$tarball") ($(cut -c1-12 "$tarball.sha256"))"

PREFIX="$work/opt" "$root/deploy/install-release.sh" "$tarball" >/dev/null
say "installed into $work/opt/current"

mkdir -p "$work/etc"
config="$work/cloud-config.yaml"
(cd "$infra" && node --import tsx scripts/render-cloud-config.ts test "$config" \
  && node --import tsx scripts/extract-files.ts "$config" /etc/polling-app "$work/etc")
port="$(node -e '
  const s = require("net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
# Later lines win, in systemd's EnvironmentFile= as in the shell.
cat >>"$work/etc/app.env" <<ENV
HOST=127.0.0.1
HTTP_PORT=$port
DB_HOST=$db_host
DB_PORT=$db_port
DB_NAME=$db_name
DB_USER=$db_user
DB_SSL=false
ENV
admin_token="$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
secrets="$work/etc/secrets.env"
(umask 077 && printf 'DB_PASS=%s\nADMIN_TOKEN=%s\n' "$db_pass" "$admin_token" >"$secrets")

# What the unit does: WorkingDirectory=, Environment=, EnvironmentFile= twice, ExecStart=.
# shellcheck disable=SC2016 # $1 is expanded by the inner shell
unit_start='set -a; . "$1/app.env"; . "$1/secrets.env"; set +a
  exec /usr/bin/node dist/server.js'
(cd "$work/opt/current" \
  && exec env -i PATH="$PATH" NODE_ENV=production bash -c "$unit_start" _ "$work/etc") \
  >"$work/app.log" 2>&1 &
app_pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$app_pid" 2>/dev/null; then
    say "FAILED: the app exited before it was ready; its log:" >&2
    cat "$work/app.log" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -fsS "http://127.0.0.1:$port/ready" >/dev/null; then
  say "FAILED: /ready never answered 200; the app's log:" >&2
  cat "$work/app.log" >&2
  exit 1
fi
say "/ready answered 200 on port $port with $db_name on $db_host:$db_port"

node "$root/scripts/smoke.mjs" "http://127.0.0.1:$port" --votes 3
kill -TERM "$app_pid"
wait "$app_pid" || { say "FAILED: the app did not exit cleanly on SIGTERM" >&2; exit 1; }
app_pid=""
say "ok"
