#!/usr/bin/env bash
# axe-core for the accessibility checks of the browser tests, into .cache/axe/axe.min.js.
# Idempotent: does nothing when the file is there. Fetched from npm (never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/axe/axe.min.js
if [ -s "$dest" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "get_axe.sh: npm is needed to fetch axe-core (sudo apt-get install npm)" >&2
    exit 1
fi
mkdir -p .cache/axe
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent axe-core@4 >/dev/null && tar -xzf axe-core-*.tgz package/axe.min.js package/package.json)
cp "$work/package/axe.min.js" "$dest.tmp"
mv "$dest.tmp" "$dest"
node -e 'console.log("get_axe.sh: axe-core " + require(process.argv[1]).version + " in .cache/axe/axe.min.js")' "$work/package/package.json"
