#!/usr/bin/env bash
# Installs Node.js from NodeSource's apt repository. Ubuntu 24.04's own
# nodejs package is 18.x, below what polling-app supports, so the package
# archive is not an option there. The repository key is checked against its
# published fingerprint before apt trusts it.
set -euo pipefail

NODE_MAJOR="${NODE_MAJOR:-22}"
KEY_URL=https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key
KEY_FINGERPRINT=6F71F525282841EEDAF851B42F59B5F99B1BE0B4
KEYRING=/etc/apt/keyrings/nodesource.gpg

installed_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }
if [[ "$(installed_major)" == "$NODE_MAJOR" ]]; then
  echo "install-node: node $(node --version) already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends ca-certificates curl gnupg

key="$(mktemp)"
trap 'rm -f "$key"' EXIT
curl -fsSL --retry 10 --retry-all-errors "$KEY_URL" -o "$key"
fingerprints="$(gpg --show-keys --with-colons "$key" | awk -F: '$1 == "fpr" {print $10}')"
if ! grep -qx "$KEY_FINGERPRINT" <<<"$fingerprints"; then
  echo "install-node: NodeSource key does not have fingerprint $KEY_FINGERPRINT" >&2
  exit 1
fi
install -d -m 0755 /etc/apt/keyrings
gpg --dearmor --yes -o "$KEYRING" "$key"
chmod 0644 "$KEYRING"

repo="https://deb.nodesource.com/node_${NODE_MAJOR}.x"
echo "deb [signed-by=$KEYRING] $repo nodistro main" \
  >/etc/apt/sources.list.d/nodesource.list
apt-get update
apt-get install -y nodejs
echo "install-node: installed node $(node --version) at $(command -v node)"
