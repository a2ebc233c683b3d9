#!/usr/bin/env bash
# Installs a polling-app release tarball (made by scripts/release.sh) into
# $PREFIX/releases/<name> and points $PREFIX/current at it. Used by the Azure
# boot script and by hand alike. The tarball carries no node_modules:
# better-sqlite3 is native, so dependencies are installed here, for this
# machine's Node.
#   install-release.sh TARBALL [SHA256]
set -euo pipefail

tarball="${1:?usage: install-release.sh TARBALL [SHA256]}"
expected="${2:-}"
PREFIX="${PREFIX:-/opt/polling-app}"

if [[ -z "$expected" && -f "$tarball.sha256" ]]; then
  expected="$(cut -d' ' -f1 "$tarball.sha256")"
fi
if [[ -z "$expected" ]]; then
  echo "install-release: no checksum given and no $tarball.sha256 beside it" >&2
  exit 1
fi
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [[ "$actual" != "$expected" ]]; then
  echo "install-release: sha256 of $tarball is $actual, expected $expected" >&2
  exit 1
fi

name="$(basename "$tarball" .tgz)"
target="$PREFIX/releases/$name"
staging="$target.partial"
rm -rf "$staging"
install -d -m 0755 "$staging"
tar -xzf "$tarball" -C "$staging" --strip-components=1 --no-same-owner
(cd "$staging" && npm ci --omit=dev --no-audit --no-fund)

rm -rf "$target"
mv "$staging" "$target"
ln -sfn "releases/$name" "$PREFIX/current.partial"
mv -T "$PREFIX/current.partial" "$PREFIX/current"
echo "install-release: $name installed at $target, sha256 $actual"
