#!/usr/bin/env bash
# Installs what Lineage needs beyond the .NET SDK. Idempotent; safe to run as root with no stdin.
# SQLite ships inside Microsoft.Data.Sqlite's native bundle; PostgreSQL (for the cluster and its tests) is started by scripts/postgres.sh.
# postgresql for the cluster's storage and membership, ffmpeg to decode images for PDQ, chromium for the dashboard's browser
# tests (Playwright drives Debian's chromium instead of downloading its own); later capabilities add their packages here.
set -euo pipefail

# Debian packages the suite needs.
packages=(postgresql ffmpeg chromium)

need=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${need[*]} (run as root to install them)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  apt-get install -y -qq "${need[@]}" </dev/null
fi

command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
