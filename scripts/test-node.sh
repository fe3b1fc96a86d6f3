#!/usr/bin/env bash
# Runs test tiers on another Node major than the machine's: `scripts/test-node.sh 24 [tier ...] [-- path ...]`
# (tiers: unit, integration; default both, in that order, as `npm test` runs them; paths after `--`
# narrow the integration tier to those folders or files).
# Needs scripts/setup-node.sh (run by scripts/setup.sh). Its node_modules lives in
# .orderflow/node<major>/work, built by that Node; an ES module finds its packages only in a
# node_modules above its own file, so the tests run from a fresh copy of this working tree's files
# (tracked and untracked, not ignored, plus the built dashboard assets) made beside it.
# The integration tier uses this checkout's stack (its ORDERFLOW_HOME): its global setup starts it, or
# leaves it alone when it is already running (after `npm test`, for instance).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
major=${1:?usage: scripts/test-node.sh <major> [unit|integration ...]}
shift
tiers=()
paths=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; paths=("$@"); break; fi
  tiers+=("$1"); shift
done
[ ${#tiers[@]} -gt 0 ] || tiers=(unit integration)
for t in "${tiers[@]}"; do
  case $t in unit | integration) ;; *) echo "test-node: tier '$t' is not unit or integration" >&2; exit 2 ;; esac
done
home=${ORDERFLOW_HOME:-$ROOT/.orderflow}
dir=$home/node$major
work=$dir/work
scripts/setup-node.sh --check "$major"

# The copy: everything but node_modules is replaced on each run.
find "$work" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
{
  git ls-files -z --cached --others --exclude-standard
  if [ -d dashboard/web/dist ]; then find dashboard/web/dist -type f -print0; fi
} | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done \
  | rsync -a --from0 --files-from=- ./ "$work/"

export PATH="$dir/bin:$PATH"
echo "test-node: $(node --version) ($(command -v node)) in $work"
cd "$work"
for t in "${tiers[@]}"; do
  # The copy's own .orderflow would be an empty stack home: point the integration tier at this checkout's.
  if [ "$t" = integration ]; then
    ORDERFLOW_HOME=$home npm run "test:$t" -- "${paths[@]}"
  else
    npm run "test:$t"
  fi
done
