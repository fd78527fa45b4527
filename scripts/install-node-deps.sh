#!/usr/bin/env bash
# The project's Node tools, each pinned by its package-lock.json and installed from it exactly
# (npm ci):
#   tests/virtual_alexa      Bespoken's virtual-alexa, the independent client the tests drive the
#                            web service with;
#   tests/certification      apl-suggester and ssml-check-core, the checks a deployer runs before
#                            certification, run offline by tests/certification;
#   infrastructure/ask-cli   the ASK CLI that deploys the skill (`ask deploy`), with antlr4ts held
#                            at 0.5.0-alpha.4 (the 0.5.0-dev it would pull makes every command die
#                            with "Class extends value undefined").
# The ASK CLI is linked into the virtual environment's bin/ as `ask` when there is one, so
# `.venv/bin/ask` (or `ask` after `source .venv/bin/activate`) is the project's own.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v npm >/dev/null; then
    echo "warning: npm not found; the virtual-alexa and certification tests will be skipped and" \
        "the ASK CLI is not installed (install Node 20)" >&2
    exit 0
fi
for folder in tests/virtual_alexa tests/certification infrastructure/ask-cli; do
    npm ci --prefix "$here/$folder" --no-audit --no-fund --loglevel=error
done
if [ -d "$here/.venv/bin" ]; then
    ln -sfn ../../infrastructure/ask-cli/node_modules/.bin/ask "$here/.venv/bin/ask"
fi
