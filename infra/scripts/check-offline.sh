#!/usr/bin/env bash
# Offline checks of what a VM boots with, for every stack: the generated
# cloud-config passes `cloud-init schema`, and the systemd units it installs
# pass `systemd-analyze verify` without a single warning. Needs Debian's
# cloud-init package, systemd-analyze, and node at /usr/bin/node (the units'
# ExecStart; verify checks that it exists, and on a real VM NodeSource puts it
# there).
#   infra/scripts/check-offline.sh [OUT_DIR]
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$infra/.offline}"

fail() {
  echo "check-offline: $*" >&2
  exit 1
}
for tool in cloud-init systemd-analyze; do
  command -v "$tool" >/dev/null \
    || fail "$tool is missing (apt-get install cloud-init systemd)"
done
if [[ ! -x /usr/bin/node ]]; then
  fail "/usr/bin/node is missing; the units start it (ln -s <node> /usr/bin/node)"
fi

rm -rf "$out"
mkdir -p "$out"
cd "$infra"
for settings in Pulumi.*.yaml; do
  stack="${settings#Pulumi.}"
  stack="${stack%.yaml}"
  config="$out/cloud-config-$stack.yaml"
  node --import tsx scripts/render-cloud-config.ts "$stack" "$config"
  cloud-init schema --config-file "$config"

  units="$out/units-$stack"
  mkdir -p "$units"
  node --import tsx scripts/extract-files.ts "$config" /etc/systemd/system "$units"
  status=0
  report="$(systemd-analyze verify "$units"/*.service 2>&1)" || status=$?
  if [[ "$status" -ne 0 || -n "$report" ]]; then
    fail "systemd-analyze verify complained about the $stack units:"$'\n'"$report"
  fi
  echo "check-offline: $stack units verified: $(cd "$units" && echo *.service)"
done
echo "check-offline: ok"
