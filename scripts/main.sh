#!/usr/bin/env bash
# The main job on the embedded default store: migrate the SQLite database in the user's data
# directory, load the synthetic demo base and its four demo accounts (once), and serve the
# dashboard on http://127.0.0.1:8000/ (sign in with an account printed at start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/carbonpeak db upgrade
exec .venv/bin/carbonpeak serve --demo "$@"
