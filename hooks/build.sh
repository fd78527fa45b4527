#!/usr/bin/env bash
# The ASK CLI's build hook: `ask deploy` runs hooks/build.sh (its custom build flow) for each code
# region, from its build folder, with the zip to produce as $1 (and its debug flag as $2). The
# zip is the project's own Lambda build (lambda/build_zip.py, as `make lambda`), never the CLI's
# pip flow: the same reproducible zip, with its bytecode and its extension for Amazon Linux.
set -euo pipefail
root="$(cd -P "$(dirname "$0")/.." && pwd)"
zip="${1:?usage: hooks/build.sh ZIP [DEBUG]}"
case "$zip" in /*) ;; *) zip="$PWD/$zip" ;; esac
make -C "$root" --no-print-directory install >&2
"$root/.venv/bin/python" "$root/lambda/build_zip.py" --output "$zip" >&2
