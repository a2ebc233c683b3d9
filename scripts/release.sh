#!/usr/bin/env bash
# Builds polling-app from a clean copy of the work tree and packs the release:
#   release/polling-app-<version>.tgz and release/polling-app-<version>.tgz.sha256
# The tarball holds dist/, package.json, package-lock.json, seeds/, deploy/ (and
# public/ when the app has one) under polling-app-<version>/, and no
# node_modules: better-sqlite3 is native, so the target runs `npm ci --omit=dev`
# for its own Node (deploy/install-release.sh). Packing is reproducible: same
# build, same bytes (names sorted, owners and times fixed, gzip without a name).
# OUT_DIR overrides the output folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT_DIR:-$root/release}"
version="$(node -p "require('$root/package.json').version")"
name="polling-app-$version"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/stage"

# Tracked and new files, minus ignored ones (node_modules, dist, release) and
# the cloud program, which is not part of the app.
git -C "$root" ls-files -z --cached --others --exclude-standard -- . ':!infra' \
  | while IFS= read -r -d '' f; do
    if [[ -e "$root/$f" ]]; then printf '%s\0' "$f"; fi
  done \
  | tar -C "$root" --null -T - -cf - | tar -C "$work/src" -xf -

echo "release: building $name" >&2
(cd "$work/src" && npm ci --no-audit --no-fund >&2 && npm run build >&2)

mkdir "$work/stage/$name"
for part in dist package.json package-lock.json seeds deploy public; do
  if [[ -e "$work/src/$part" ]]; then
    cp -R "$work/src/$part" "$work/stage/$name/"
  elif [[ "$part" != public ]]; then
    echo "release: $part is missing from the build" >&2
    exit 1
  fi
done

mkdir -p "$out"
tar -C "$work/stage" --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
  --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -n -9 >"$out/$name.tgz"
(cd "$out" && sha256sum "$name.tgz" >"$name.tgz.sha256")

echo "release: wrote $out/$name.tgz" >&2
cat "$out/$name.tgz.sha256"
