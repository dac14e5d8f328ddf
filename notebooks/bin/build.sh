#!/usr/bin/env bash
# Builds the toolkit, Spark runner and kernel jars (with their runtime libraries in target/lib) when a source is
# newer than a jar; does nothing the second time.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
stale=0
for m in toolkit:sofim-toolkit toolkit/spark:sofim-spark notebooks/kernel:sofim-kernel; do
  dir="$root/${m%%:*}"; jar="$dir/target/${m##*:}.jar"
  if [ ! -f "$jar" ] || [ ! -d "$dir/target/lib" ] || [ -n "$(find "$dir/src/main" "$dir/pom.xml" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  echo "build: mvn package (toolkit, its Spark runner, kernel)"
  (cd "$root" && mvn -B -q -pl toolkit,toolkit/spark,notebooks/kernel -am package -DskipTests)
fi
