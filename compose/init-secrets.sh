#!/usr/bin/env bash
# Creates the secrets the compose stack reads, in compose/secrets/, with random values. Idempotent:
# a secret that already exists is kept, so running it again never locks you out of your data.
#
# Compose mounts file secrets as they are on disk (it ignores uid/gid/mode outside Swarm), and the
# containers read them as their own users (postgres, grafana, nobody, docstream). So the files are
# readable (644) and the directory holding them is yours alone (700).
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"

# $1 random bytes as base64url without padding (32 bytes -> 43 characters).
random_base64url() {
  head -c "$1" /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'
}

create() {
  local name="$1" value="$2" file="$dir/$1"
  if [ -s "$file" ]; then
    echo "kept    compose/secrets/$name"
    return
  fi
  (umask 022 && printf '%s' "$value" > "$file")
  chmod 644 "$file"
  echo "created compose/secrets/$name"
}

create postgres_password "$(random_base64url 24)"
create redis_password "$(random_base64url 24)"
create qdrant_api_key "$(random_base64url 32)"
create grafana_admin_password "$(random_base64url 18)"
# The demo tenant's key, in docstream's key format: ds_ + 32 random bytes in base64url.
create api_key "ds_$(random_base64url 32)"
