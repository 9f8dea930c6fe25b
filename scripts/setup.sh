#!/usr/bin/env bash
# Idempotent set-up for development and CI (Debian/Ubuntu, root for --system).
#   --system   apt packages the tests use (chromium, WireGuard tools, dnsmasq, iptables, ansible-core for the fleet
#              recipe, …) — needs root
# Always: Node 22.23.3 (the version in .nvmrc) into /opt/node22 from the npm registry's `node` package when the
# node on PATH is not 22.x.
set -euo pipefail
NODE_VERSION="$(cat "$(dirname "$0")/../.nvmrc")"
NODE_PREFIX="${LONGHAUL_NODE_PREFIX:-/opt/node22}"

if [[ "${1:-}" == "--system" ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends \
    chromium wireguard-tools wireguard-go dnsmasq iptables iproute2 openresolv iputils-ping bind9-dnsutils \
    openssl ca-certificates procps psmisc gcc-mingw-w64-x86-64-win32 wine64 pkexec iperf3 ansible-core
  # Debian's dnsmasq package starts a system-wide instance; the lab runs its own per namespace.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now dnsmasq >/dev/null 2>&1 || true; fi
  pkill -x dnsmasq 2>/dev/null || true
fi

current="$(node --version 2>/dev/null || true)"
if [[ "$current" != "v${NODE_VERSION}" ]] && [[ "$("$NODE_PREFIX/bin/node" --version 2>/dev/null || true)" != "v${NODE_VERSION}" ]]; then
  echo "setup: installing Node ${NODE_VERSION} into ${NODE_PREFIX}" >&2
  npm install -g --prefix "$NODE_PREFIX" --no-audit --no-fund "node@${NODE_VERSION}"
fi
echo "setup: use Node ${NODE_VERSION}: export PATH=${NODE_PREFIX}/bin:\$PATH" >&2
