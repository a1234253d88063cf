#!/usr/bin/env bash
# The main job on the embedded default store: migrate the SQLite database in the user's data
# directory, register the Ningdong plan, and show it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/carbonpeak db upgrade
.venv/bin/carbonpeak plan register
.venv/bin/carbonpeak plan show
.venv/bin/carbonpeak plan targets --year 2025
