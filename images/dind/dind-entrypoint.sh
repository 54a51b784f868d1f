#!/bin/sh
# jackin DinD sidecar entrypoint.
# 1. Without real --privileged (engines whose bounding set lacks a capability), cgroup v1
#    hierarchies are mounted read-only: remount them writable so nested containers work.
# 2. Mint certificates in the DOCKER_TLS_CERTDIR layout unless the client cert already exists.
# 3. Serve TLS only on 2376 (plain TCP is never opened).
set -eu

if grep -q ' /sys/fs/cgroup/[^ ]* ro,' /proc/self/mountinfo 2>/dev/null; then
  for d in /sys/fs/cgroup/*/; do
    mount -o remount,bind,rw "$d" 2>/dev/null || true
  done
fi

certdir="${DOCKER_TLS_CERTDIR:-/certs}"
name="${DIND_NAME:-$(hostname)}"
days="${DIND_CERT_DAYS:-825}"

mint() {
  umask 077
  mkdir -p "$certdir/ca" "$certdir/server" "$certdir/client"
  tmp="$(mktemp -d)"
  openssl ecparam -name prime256v1 -genkey -noout -out "$certdir/ca/key.pem"
  openssl req -new -x509 -sha256 -days "$days" -key "$certdir/ca/key.pem" \
    -subj "/CN=jackin dind CA ($name)" -out "$certdir/ca/cert.pem" 2>/dev/null

  san="DNS:$name,DNS:localhost,IP:127.0.0.1"
  if [ "$(hostname)" != "$name" ]; then san="$san,DNS:$(hostname)"; fi
  if [ -n "${DOCKER_TLS_SAN:-}" ]; then san="$san,$DOCKER_TLS_SAN"; fi

  openssl ecparam -name prime256v1 -genkey -noout -out "$certdir/server/key.pem"
  openssl req -new -sha256 -key "$certdir/server/key.pem" -subj "/CN=$name" -out "$tmp/server.csr"
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$san" > "$tmp/server.ext"
  openssl x509 -req -sha256 -days "$days" -in "$tmp/server.csr" -CA "$certdir/ca/cert.pem" \
    -CAkey "$certdir/ca/key.pem" -CAcreateserial -extfile "$tmp/server.ext" -out "$certdir/server/cert.pem" 2>/dev/null
  cp "$certdir/ca/cert.pem" "$certdir/server/ca.pem"

  openssl ecparam -name prime256v1 -genkey -noout -out "$certdir/client/key.pem"
  openssl req -new -sha256 -key "$certdir/client/key.pem" -subj "/CN=jackin client" -out "$tmp/client.csr"
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' > "$tmp/client.ext"
  openssl x509 -req -sha256 -days "$days" -in "$tmp/client.csr" -CA "$certdir/ca/cert.pem" \
    -CAkey "$certdir/ca/key.pem" -CAcreateserial -extfile "$tmp/client.ext" -out "$certdir/client/cert.pem" 2>/dev/null
  cp "$certdir/ca/cert.pem" "$certdir/client/ca.pem"
  # The client volume is mounted read-only into the role container, whose user is not root.
  chmod 0755 "$certdir/client"
  chmod 0644 "$certdir/client/ca.pem" "$certdir/client/cert.pem" "$certdir/client/key.pem"
  rm -rf "$tmp"
}

if [ ! -s "$certdir/client/cert.pem" ] || [ ! -s "$certdir/server/cert.pem" ]; then
  mint
fi

if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec "$@"
fi

exec dockerd \
  --host=tcp://0.0.0.0:2376 \
  --host=unix:///var/run/docker.sock \
  --tlsverify \
  --tlscacert="$certdir/server/ca.pem" \
  --tlscert="$certdir/server/cert.pem" \
  --tlskey="$certdir/server/key.pem" \
  "$@"
