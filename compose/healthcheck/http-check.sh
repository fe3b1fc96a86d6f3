#!/usr/bin/env bash
# Container healthcheck for images without curl or wget (Confluent's 8.x images are ubi9-micro):
# plain HTTP/1.0 over bash's /dev/tcp, nothing but bash builtins.
#
#   bash http-check.sh <port> <path> [<text the body must contain>]
#
# Exit 0 when 127.0.0.1:<port><path> answers 200 (and the body contains the text), else 1.
port=$1 path=$2 needle=${3-}
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n' "$path" >&3
IFS= read -r -t 10 status <&3 || exit 1
[[ $status == HTTP/1.[01]\ 200* ]] || { echo "status: ${status%$'\r'}"; exit 1; }
[[ -z $needle ]] && exit 0
while IFS= read -r -t 10 line || [[ -n $line ]]; do
  [[ $line == *"$needle"* ]] && exit 0
done <&3
echo "the answer of ${path} does not contain ${needle}"
exit 1
