#!/usr/bin/env bash
# The test suite. In CI (CI=true) it first installs the system packages tests need; elsewhere the
# tests that need them skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = "true" ]; then
  # CI runs every test: PostgreSQL, Mosquitto, Java, Chromium (Playwright drives it), a CJK font
  # and poppler-utils (PDF checks) from Debian; PySpark from PyPI. Never `playwright install`.
  export CARBONPEAK_EXTRAS=dev,spark
  missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
    || missing+=(postgresql)
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v chromium >/dev/null || missing+=(chromium)
  fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
  command -v pdffonts >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
bash scripts/bootstrap.sh
if [ "${CI:-}" = "true" ]; then
  # pyam, in a venv of its own (its ixmp4 needs SQLAlchemy < 2.1), reads the IAMC export back.
  want=$(sha256sum constraints-pyam.txt | cut -d' ' -f1)
  if [ "$(cat .venv-pyam/.installed 2>/dev/null)" != "$want" ]; then
    python3 -m venv .venv-pyam
    .venv-pyam/bin/python -m pip install --quiet --disable-pip-version-check \
      -r constraints-pyam.txt
    echo "$want" > .venv-pyam/.installed
  fi
fi
# Browser screenshots land in artifacts/screenshots/, which CI keeps.
exec .venv/bin/pytest "$@"
