#!/usr/bin/env bash
# Creates the report login from FTP_USER / FTP_PASSWORD (once per container) and, once per volume,
# the FTPS certificates in /ftp-tls (a CA, and the server's keypair for the name `ftp`, signed by it);
# then runs vsftpd. The support services mount the same volume read-only and trust /ftp-tls/ca.pem.
set -euo pipefail
: "${FTP_USER:?set FTP_USER (docker-compose.yml passes .env's FTP_USER)}"
: "${FTP_PASSWORD:?set FTP_PASSWORD (docker-compose.yml passes .env's FTP_PASSWORD)}"
if ! id "$FTP_USER" >/dev/null 2>&1; then
  useradd --create-home --home-dir "/srv/ftp/$FTP_USER" --shell /bin/sh "$FTP_USER"
fi
echo "$FTP_USER:$FTP_PASSWORD" | chpasswd

tls=/ftp-tls
if [ ! -s "$tls/ca.pem" ] || [ ! -s "$tls/server.pem" ] || [ ! -s "$tls/server-key.pem" ]; then
  work=$(mktemp -d)
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca-key.pem"
  openssl req -x509 -new -key "$work/ca-key.pem" -days 3650 -subj '/CN=orderflow compose FTP CA' \
    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -out "$work/ca.pem"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/server-key.pem"
  openssl req -new -key "$work/server-key.pem" -subj '/CN=ftp' -out "$work/server.csr"
  printf 'subjectAltName=DNS:ftp\nextendedKeyUsage=serverAuth\n' >"$work/server.ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" \
    -CAcreateserial -days 3650 -extfile "$work/server.ext" -out "$work/server.pem"
  install -m 0600 "$work/server-key.pem" "$tls/server-key.pem"
  install -m 0644 "$work/server.pem" "$tls/server.pem"
  # The CA last: the clients wait for the server to be healthy, and it is complete by then.
  install -m 0644 "$work/ca.pem" "$tls/ca.pem"
  rm -rf "$work"
fi
exec vsftpd /etc/vsftpd.conf
