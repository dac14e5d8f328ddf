#!/usr/bin/env bash
# The main job: installs what a fresh machine lacks (Debian's Jupyter, the offline datasets), builds the
# toolkit and the Java kernel, installs the kernelspec, and serves notebooks/ with Jupyter on 127.0.0.1:8888
# (the next free port if taken; the URL with its token is printed). Stop it with Ctrl-C (twice), or
# `jupyter notebook stop 8888`. Idempotent; the second run only starts Jupyter.
#   start.sh [--no-browser] [--port N] [--check]   (--check: set up, then exit without serving)
# The notebooks' size knobs reach the kernel from this script's environment, e.g.
#   SOFIM_TRAIN_SIZE=2000 SOFIM_EPOCHS=1 bash notebooks/bin/start.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
port=8888; browser=""; check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-browser|--headless) browser="--no-browser" ;;
    --port) port="$2"; shift ;;
    --check) check=1 ;;
    *) echo "start: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
bash "$root/toolkit/bin/setup.sh"
bash "$root/notebooks/bin/install-kernel.sh"
# The list is read whole before matching: `grep -q` in a pipe closes it early, and under pipefail the writer's
# broken pipe would fail the check although the kernelspec is there.
specs="$(/usr/bin/jupyter kernelspec list)"
grep -q "^ *java " <<<"$specs" || { echo "start: the java kernelspec is not visible to Jupyter; 'jupyter kernelspec list' says:" >&2; echo "$specs" >&2; exit 1; }
[ "$check" = 1 ] && { echo "start: ready (Jupyter, kernel, data)"; exit 0; }
[ -z "$browser" ] && [ -z "${DISPLAY:-}" ] && browser="--no-browser"
extra=(); [ "$(id -u)" = 0 ] && extra+=(--allow-root)
cd "$root/notebooks"
exec /usr/bin/jupyter notebook --config="$root/notebooks/bin/jupyter_notebook_config.py" \
  --notebook-dir="$root/notebooks" --port="$port" --ip=127.0.0.1 $browser "${extra[@]}"
