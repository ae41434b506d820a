#!/usr/bin/env bash
# Writes the secrets kustomization.yaml's secretGenerator reads, into k8s/secrets/ (git-ignored) or the
# directory given as the first argument:
#   ca.crt                 the cluster CA (its key, ca.key, stays in this directory and is not deployed)
#   tls.crt / tls.key      the member certificate and key every Ferry pod presents on the event bus
#                          (server and client authentication), signed by the CA
#   bootstrap-key          the default account's admin key (FERRY_AUTH_BOOTSTRAP_KEY)
#   token-secret           the HS256 secret of the tokens admin issues (FERRY_AUTH_TOKEN_SECRET)
#   storage-secrets-key    seals the secrets in admin's store (FERRY_STORAGE_SECRETS_KEY); losing it loses them
#   postgres-password      the password of PostgreSQL's ferry user (postgres.yaml sets it, Ferry reads it)
# Files that exist are kept, so re-running never rotates a secret by accident; delete a file to renew it
# (a new CA needs a new member certificate too). Needs openssl (apt-get install openssl).
set -euo pipefail
out="${1:-$(dirname "$0")/secrets}"
days="${FERRY_CERT_DAYS:-825}"
umask 077
mkdir -p "$out"
cd "$out"

if [ ! -s ca.key ] || [ ! -s ca.crt ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=Ferry cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt
  rm -f tls.crt
fi

if [ ! -s tls.key ] || [ ! -s tls.crt ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out tls.key 2>/dev/null
  # Members are trusted by the CA that signed them, not by name (the bus checks no host name), so the
  # certificate names no namespace and serves wherever the manifests are deployed.
  cat > member.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:ferry-member
EXT
  openssl req -new -key tls.key -subj "/CN=ferry-member" -out member.csr
  openssl x509 -req -in member.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
    -extfile member.ext -out tls.crt 2>/dev/null
  rm -f member.csr member.ext
fi

if [ ! -s bootstrap-key ]; then
  printf 'fry_%s' "$(openssl rand -hex 24)" > bootstrap-key
fi
if [ ! -s token-secret ]; then
  printf '%s' "$(openssl rand -hex 32)" > token-secret
fi
if [ ! -s postgres-password ]; then
  printf '%s' "$(openssl rand -hex 24)" > postgres-password
fi
if [ ! -s storage-secrets-key ]; then
  printf '%s' "$(openssl rand -hex 32)" > storage-secrets-key
fi

openssl verify -CAfile ca.crt tls.crt >/dev/null
echo "Secrets are in $(pwd). The bootstrap admin key is in bootstrap-key; deploy with: kubectl apply -n NAMESPACE -k k8s/" >&2
