#!/usr/bin/env bash
# The main job on the embedded default store: migrate the SQLite database in the user's data
# directory, load the synthetic demo base (idempotent), show the plan and the base's accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/carbonpeak db upgrade
.venv/bin/carbonpeak demo
.venv/bin/carbonpeak plan show
.venv/bin/carbonpeak plan targets --year 2025
.venv/bin/carbonpeak account --level division --frequency year
.venv/bin/carbonpeak audit verify
