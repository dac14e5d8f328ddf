#!/usr/bin/env bash
# One notebook at its default size in a fresh 2 GiB memory cgroup (v1 or v2) with a cold page cache, as in a new Binder
# pod, where the jars and the data files are read inside the pod and so charged to it. Prints the group's peak (what
# the limit counts), and the anonymous memory and page cache sampled when the usage was highest. Root only (it drops
# the machine's page cache first). Usage, from the repository root:
#   bash toolkit/benchmarks/memory/probes/cold-pod.sh notebooks/06-cifar.ipynb [KEY=VALUE ...]
# e.g. SOFIM_CIFAR_DIR=/path/to/full-size/cifar-10-batches-bin; JUPYTER_PATH selects the kernel (default: installed).
set -euo pipefail
nb="${1:?usage: cold-pod.sh NOTEBOOK.ipynb [KEY=VALUE ...]}"; shift
[ -f "$nb" ] || { echo "cold-pod: no notebook at '$nb'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "cold-pod: needs root (cgroups, drop_caches)" >&2; exit 2; }
name="sofim-cold-pod-$$"
if [ -d /sys/fs/cgroup/memory ]; then
  g=/sys/fs/cgroup/memory/$name; mkdir "$g"; echo $((2048 << 20)) > "$g/memory.limit_in_bytes"
  usage=memory.usage_in_bytes; peakf=memory.max_usage_in_bytes; anon=rss; events=memory.oom_control
else
  g=/sys/fs/cgroup/$name; mkdir "$g"; echo $((2048 << 20)) > "$g/memory.max"
  usage=memory.current; peakf=memory.peak; anon=anon; events=memory.events
fi
out=$(mktemp -d)
trap 'for p in $(cat "$g/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done; sleep 1; rmdir "$g" 2>/dev/null || true' EXIT
sync; echo 1 > /proc/sys/vm/drop_caches
( top=0; while [ -d "$g" ]; do u=$(cat "$g/$usage" 2>/dev/null || echo 0)
    if [ "$u" -gt "$top" ]; then top=$u; grep -E "^($anon|cache|file) " "$g/memory.stat" > "$out/at-peak" 2>/dev/null || true; fi
    sleep 0.2; done ) &
start=$(date +%s)
cd "$(dirname "$nb")"
set +e
sh -c "echo \$\$ > '$g/cgroup.procs' && exec env SOFIM_RESULTS_DIR='$out/results' $* /usr/bin/jupyter nbconvert --to notebook \
  --execute --ExecutePreprocessor.kernel_name=java --ExecutePreprocessor.timeout=1800 --output-dir '$out' '$(basename "$nb")'" \
  > "$out/log" 2>&1
rc=$?
set -e
mib() { echo $(( $1 >> 20 )); }
printf '%s rc=%d seconds=%d peak=%dMiB %s' "$(basename "$nb")" "$rc" $(( $(date +%s) - start )) "$(mib "$(cat "$g/$peakf")")" \
  "$(grep -o 'oom_kill [0-9]*' "$g/$events" | tr ' ' '=')"
awk '{printf " %s_at_peak=%dMiB", $1, $2 / 1048576}' "$out/at-peak"; echo
