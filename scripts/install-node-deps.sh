#!/usr/bin/env bash
# The independent client the tests drive the web service with: Bespoken's virtual-alexa, pinned
# by tests/virtual_alexa/package-lock.json and installed from it exactly (npm ci).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v npm >/dev/null; then
    echo "warning: npm not found; the virtual-alexa tests will be skipped (install Node 20)" >&2
    exit 0
fi
npm ci --prefix "$here/tests/virtual_alexa" --no-audit --no-fund --loglevel=error
