#!/usr/bin/env bash
# The test suite. In CI (CI=true) it first installs the system packages tests need; elsewhere the
# tests that need them skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
fi
bash scripts/bootstrap.sh
exec .venv/bin/pytest "$@"
