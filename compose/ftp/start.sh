#!/usr/bin/env bash
# Creates the report login from FTP_USER / FTP_PASSWORD (once per container), then runs vsftpd.
set -euo pipefail
: "${FTP_USER:?set FTP_USER (docker-compose.yml passes .env's ORDERFLOW_FTP_USER)}"
: "${FTP_PASSWORD:?set FTP_PASSWORD (docker-compose.yml passes .env's ORDERFLOW_FTP_PASSWORD)}"
if ! id "$FTP_USER" >/dev/null 2>&1; then
  useradd --create-home --home-dir "/srv/ftp/$FTP_USER" --shell /bin/sh "$FTP_USER"
fi
echo "$FTP_USER:$FTP_PASSWORD" | chpasswd
exec vsftpd /etc/vsftpd.conf
