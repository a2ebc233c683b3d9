#!/usr/bin/env bash
# First boot of a polling-app VM on Azure, run by cloud-init's runcmd: Node.js,
# the service user, the release (fetched with the VM's identity and checked),
# then the units. Settings are in /etc/polling-app/azure.env.
set -euo pipefail
# cloud-init may run this without HOME; npm needs one for its cache.
export HOME="${HOME:-/root}"

LIB=/usr/local/lib/polling-app
set -a
# shellcheck source=/dev/null
. /etc/polling-app/azure.env
set +a

"$LIB/install-node.sh"

if ! id polling-app >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin polling-app
fi

download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
tarball="$download/$(basename "$RELEASE_URL")"
node "$LIB/azure-fetch.mjs" release "$tarball"
"$LIB/install-release.sh" "$tarball" "$RELEASE_SHA256"

systemctl daemon-reload
systemctl enable polling-app-secrets.service polling-app.service
systemctl restart polling-app.service
