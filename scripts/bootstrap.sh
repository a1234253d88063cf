#!/usr/bin/env bash
# Creates .venv with Python 3.11 and installs carbonpeak with pinned dependencies (constraints.txt).
# Re-running is cheap: it reinstalls only when pyproject.toml, constraints.txt or the extras
# changed. CARBONPEAK_EXTRAS picks the extras (default: dev).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.carbonpeak-installed
extras=${CARBONPEAK_EXTRAS:-dev}
want=$( (cat pyproject.toml constraints.txt; echo "$extras") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
    -e ".[$extras]"
  echo "$want" > "$stamp"
fi
