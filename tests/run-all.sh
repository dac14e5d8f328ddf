#!/usr/bin/env bash
# Every test of the project, from a fresh machine: installs what is missing, then runs the Maven build
# with all unit, integration, end-to-end and notebook tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/toolkit/bin/setup.sh"
cd "$root"
exec mvn -B verify "$@"
