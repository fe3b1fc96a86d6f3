#!/usr/bin/env bash
# Apply the ksqlDB migrations in ksql/migrations (mounted at /ksql) with ksql-migrations, from the
# ksqlDB server image. Runs once per `docker compose up`; safe to run again: the metadata stream is
# created only when it does not exist yet, and `apply --all` skips versions already applied.
set -euo pipefail
config=/ksql/ksql-migrations.properties

if ksql-migrations --config-file "$config" info >/dev/null 2>&1; then
  echo "ksql-migrations: metadata already initialised"
else
  echo "ksql-migrations: initialising the migrations metadata"
  ksql-migrations --config-file "$config" initialize-metadata
fi
ksql-migrations --config-file "$config" apply --all
ksql-migrations --config-file "$config" info
