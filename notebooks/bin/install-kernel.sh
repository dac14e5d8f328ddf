#!/usr/bin/env bash
# Installs the sofim Java kernel (kernelspec name "java", language "java", IJava-compatible) for Jupyter.
# Notebooks bring the toolkit themselves (`%load setup.jsh`), as on IJava; nothing is put on IJAVA_CLASSPATH, so
# no jar is on the class path twice.
#   install-kernel.sh                 -> the user's Jupyter data dir (~/.local/share/jupyter/kernels/java)
#   install-kernel.sh --prefix DIR    -> DIR/share/jupyter/kernels/java (use JUPYTER_PATH=DIR/share/jupyter)
#   install-kernel.sh --sys-prefix    -> the system prefix (/usr/local/share/jupyter/kernels/java)
# The kernel starts with the Binder image's flags (binder/Dockerfile), so what runs here fits a 2 GB Binder pod:
# a 768 MB heap, as much for ND4J's native buffers, dead arrays collected once the kernel holds 1 GB
# (dev.sofim.experiment.NativeMemory), and one OpenMP thread (OMP_NUM_THREADS=1) for every thread.
# Environment: SOFIM_KERNEL_HEAP (default 768m), SOFIM_KERNEL_NATIVE (JavaCPP's maxbytes, default = the heap),
# SOFIM_KERNEL_RESIDENT (the resident size over which dead arrays are collected, default 4/3 of the heap: 1g),
# IJAVA_TIMEOUT (ms, default none), SOFIM_KERNEL_LOG (default: warnings),
# SOFIM_KERNEL_VECTOR (default on: the JVM gets the Vector API module for the fast step engine; off: plain loops).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "${1:-}" in
  --prefix) [ -n "${2:-}" ] || { echo "install-kernel: --prefix needs a folder" >&2; exit 2; }
            dest="$2/share/jupyter/kernels/java" ;;
  --sys-prefix) dest="/usr/local/share/jupyter/kernels/java" ;;
  --user|"") dest="${XDG_DATA_HOME:-$HOME/.local/share}/jupyter/kernels/java" ;;
  *) echo "install-kernel: unknown option '$1'; expected --user, --prefix DIR or --sys-prefix" >&2; exit 2 ;;
esac
bash "$root/notebooks/bin/build.sh"
java_bin="$(command -v java)"
mkdir -p "$dest"
tmp="$dest/.kernel.json.tmp"
heap="${SOFIM_KERNEL_HEAP:-768m}"
/usr/bin/python3 - "$tmp" "$java_bin" "$root" "$heap" "${SOFIM_KERNEL_NATIVE:-$heap}" "${SOFIM_KERNEL_RESIDENT:-}" "${IJAVA_TIMEOUT:--1}" "${SOFIM_KERNEL_LOG:-}" "${SOFIM_KERNEL_VECTOR:-on}" <<'PY'
import json, re, sys
out, java, root, heap, native, resident, timeout, log, vector = sys.argv[1:]
def mib(name, v):
    m = re.fullmatch(r"([1-9][0-9]*)([kmgKMG]?)", v)
    if not m:
        sys.exit(f"install-kernel: {name}={v!r} is not a size; expected a number with an optional k, m or g (e.g. 768m, 4g)")
    return int(m.group(1)) * {"": 1 / 2**20, "k": 1 / 1024, "m": 1, "g": 1024}[m.group(2).lower()]
mib("SOFIM_KERNEL_HEAP", heap)
mib("SOFIM_KERNEL_NATIVE", native)
# dead ND4J arrays are collected once the kernel holds this much: 4/3 of the heap unless set (768m: 1g)
resident = resident or f"{round(mib('SOFIM_KERNEL_HEAP', heap) * 4 / 3)}m"
mib("SOFIM_KERNEL_RESIDENT", resident)
# the Vector API module for the optimizer's fast step engine; SOFIM_KERNEL_VECTOR=off runs the plain-loop engine
modules = ["--add-modules", "jdk.incubator.vector"] if vector != "off" else []
spec = {
    "argv": [java, f"-Xmx{heap}", f"-Dorg.bytedeco.javacpp.maxbytes={native}", f"-Dsofim.residentBudget={resident}", "-Djava.awt.headless=true", *modules,
             "-cp", f"{root}/notebooks/kernel/target/sofim-kernel.jar:{root}/notebooks/kernel/target/lib/*",
             "dev.sofim.kernel.KernelMain", "{connection_file}"],
    "display_name": "Java (sofim)",
    "language": "java",
    "interrupt_mode": "message",
    # OpenMP counts threads per thread: a cell on a new thread (IJava drops idle ones after 60 s) starts from this
    "env": {"IJAVA_TIMEOUT": timeout, "OMP_NUM_THREADS": "1"},
}
if log:
    spec["env"]["SOFIM_KERNEL_LOG"] = log
json.dump(spec, open(out, "w"), indent=2)
PY
mv -f "$tmp" "$dest/kernel.json"
echo "kernel: installed $dest/kernel.json"
