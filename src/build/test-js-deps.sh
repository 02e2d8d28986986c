#!/usr/bin/env bash
# Run by the build before the tests (skipped with -DskipTests): installs the page tests' npm dependencies
# (playwright-core) exactly as src/test/js/package-lock.json pins them, unless node_modules already holds that lock.
set -euo pipefail
cd "$(dirname "$0")/../test/js"
stamp=node_modules/.installed-package-lock.json
if cmp -s package-lock.json "$stamp"; then
    exit 0
fi
echo "Installing the page tests' npm dependencies (npm ci in src/test/js)"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
