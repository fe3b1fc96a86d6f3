#!/usr/bin/env bash
# Apply the ksqlDB migrations in ksql/migrations (mounted at /ksql) with ksql-migrations, from the
# ksqlDB server image. Runs once per `docker compose up`; safe to run again: `apply --all` skips
# versions already applied.
#
# The migrations metadata is a stream and a table (ksql.migrations.stream.name / .table.name).
# `initialize-metadata` creates both, without IF NOT EXISTS, so it runs only when neither exists:
# the server is asked which exist, and any other answer (unreachable, half-initialised) stops here
# with a non-zero exit, which `docker compose up` reports, instead of re-initialising forever.
set -euo pipefail
config=/ksql/ksql-migrations.properties

prop() {
  local key value
  while IFS='=' read -r key value; do
    [[ $key == "$1" ]] && { printf '%s' "${value%$'\r'}"; return 0; }
  done <"$config"
  echo "ksql-migrations: $1 is not set in $config" >&2
  return 1
}

url=$(prop ksql.server.url)
stream=$(prop ksql.migrations.stream.name)
table=$(prop ksql.migrations.table.name)
[[ $url =~ ^http://([^/:]+):([0-9]+)/?$ ]] || { echo "ksql-migrations: cannot read ksql.server.url $url" >&2; exit 1; }
host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}

# POST one statement to the server's /ksql endpoint over bash's /dev/tcp (the image has no curl);
# prints the body of a 200 answer, fails on anything else.
ksql_statement() {
  local body="{\"ksql\": \"$1\", \"streamsProperties\": {}}" status line answer=''
  exec 3<>"/dev/tcp/${host}/${port}" || return 1
  printf 'POST /ksql HTTP/1.0\r\nHost: %s\r\nContent-Type: application/vnd.ksql.v1+json\r\nAccept: application/vnd.ksql.v1+json\r\nContent-Length: %d\r\n\r\n%s' \
    "$host" "${#body}" "$body" >&3
  IFS= read -r -t 30 status <&3 || { exec 3<&-; return 1; }
  while IFS= read -r -t 30 line || [[ -n $line ]]; do answer+=$line; done <&3
  exec 3<&-
  if [[ $status != HTTP/1.[01]\ 200* ]]; then
    ((${#answer} > 300)) && answer=${answer: -300}
    echo "ksql-migrations: $1 -> ${status%$'\r'}: $answer" >&2
    return 1
  fi
  printf '%s' "$answer"
}

# The server is healthy before this starts; a few tries cover a restart in between.
for attempt in 1 2 3 4 5; do
  if streams=$(ksql_statement 'SHOW STREAMS;') && tables=$(ksql_statement 'SHOW TABLES;'); then break; fi
  if ((attempt == 5)); then
    echo "ksql-migrations: cannot list the streams and tables at $url" >&2
    exit 1
  fi
  sleep 5
done

named() { [[ $1 =~ \"name\"[[:space:]]*:[[:space:]]*\"$2\" ]]; }
has_stream=no has_table=no
named "$streams" "$stream" && has_stream=yes
named "$tables" "$table" && has_table=yes

case "$has_stream/$has_table" in
  yes/yes)
    echo "ksql-migrations: metadata already initialised ($stream, $table)"
    ;;
  no/no)
    echo "ksql-migrations: initialising the migrations metadata ($stream, $table)"
    ksql-migrations --config-file "$config" initialize-metadata
    ;;
  *)
    cat >&2 <<EOF
ksql-migrations: the migrations metadata is half there (stream $stream: $has_stream, table $table: $has_table),
which initialize-metadata cannot repair and apply cannot use. When no migration has been applied yet
(SHOW STREAMS lists none of ksql/migrations' streams), remove it and start again:
  docker compose run --rm --entrypoint ksql-migrations ksql-migrations \\
    --config-file $config destroy-metadata
  docker compose up -d
Otherwise create the missing one by hand as ksql-migrations would (its initialize command) and rerun.
EOF
    exit 1
    ;;
esac
ksql-migrations --config-file "$config" apply --all
ksql-migrations --config-file "$config" info
