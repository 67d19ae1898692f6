#!/usr/bin/env bash
# Runs an npm script on any machine with npm: provisions Node 24 from the npm registry into .tools/
# when the machine's node cannot run TypeScript sources (older than 22.18), installs dependencies when
# they are missing or stale, then runs `npm run <script> [-- args]`. Only the script writes to stdout,
# so `bash scripts/dev.sh example -- --format json > report.json` gets the report alone.
#
#   bash scripts/dev.sh example        # offline review of the bundled example repository
#   bash scripts/dev.sh test           # the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'process.exit(process.features.typescript ? 0 : 1)'
}

if ! node_ok; then
  if [ ! -x .tools/node_modules/node/bin/node ]; then
    echo "node $(node --version 2>/dev/null || echo 'not found') cannot run TypeScript sources; installing Node 24 into .tools/ from the npm registry" >&2
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix .tools node@24 >&2
  fi
  export PATH="$PWD/.tools/node_modules/node/bin:$PATH"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm's progress and summary go to stderr: stdout is the script's alone (a report, JSON, SARIF).
  npm ci --no-audit --no-fund >&2
fi

script="${1:?usage: scripts/dev.sh <npm-script> [args...]}"
shift
if [ "$#" -gt 0 ]; then exec npm run --silent "$script" -- "$@"; else exec npm run --silent "$script"; fi
