#!/usr/bin/env bash
# The integration tier (`npm run test:integration [-- path ...]`): first the files that share the
# stack peacefully, two at a time; then, alone and one by one, the files that stop, kill or freeze a
# component of it, or share the Flink session cluster (the project integration-exclusive in
# vitest.config.ts). Paths narrow both runs to those folders or files.
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${ORDERFLOW_TEST_WORKERS:-2}
none=()
[ $# -eq 0 ] || none=(--passWithNoTests) # a path may name files of one run only
npx vitest run --project integration --fileParallelism --maxWorkers="$workers" "${none[@]}" "$@"
npx vitest run --project integration-exclusive "${none[@]}" "$@"
