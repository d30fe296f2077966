#!/usr/bin/env bash
# Installs the Debian packages some tests need: Chromium (the dashboard's browser test) and
# redis-server (the BullMQ transport's tests start their own throw-away servers from it).
# Skips what is already installed; needs root (CI and developer machines run as root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-system: missing ${need[*]}; run as root or install them with apt-get." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "setup-system: chromium $(chromium --version 2>/dev/null | head -1 || echo missing)"
echo "setup-system: $(redis-server --version 2>/dev/null | head -1 || echo "redis-server missing")"
