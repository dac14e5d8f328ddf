#!/usr/bin/env bash
# Installs the sofim Java kernel (kernelspec name "java", language "java", IJava-compatible) for Jupyter.
# Notebooks bring the toolkit themselves (`%load setup.jsh`), as on IJava; nothing is put on IJAVA_CLASSPATH, so
# no jar is on the class path twice.
#   install-kernel.sh                 -> the user's Jupyter data dir (~/.local/share/jupyter/kernels/java)
#   install-kernel.sh --prefix DIR    -> DIR/share/jupyter/kernels/java (use JUPYTER_PATH=DIR/share/jupyter)
#   install-kernel.sh --sys-prefix    -> the system prefix (/usr/local/share/jupyter/kernels/java)
# Environment: SOFIM_KERNEL_HEAP (default 8g), IJAVA_TIMEOUT (ms, default none), SOFIM_KERNEL_LOG (default: warnings),
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
/usr/bin/python3 - "$tmp" "$java_bin" "$root" "${SOFIM_KERNEL_HEAP:-8g}" "${IJAVA_TIMEOUT:--1}" "${SOFIM_KERNEL_LOG:-}" "${SOFIM_KERNEL_VECTOR:-on}" <<'PY'
import json, sys
out, java, root, heap, timeout, log, vector = sys.argv[1:]
# the Vector API module for the optimizer's fast step engine; SOFIM_KERNEL_VECTOR=off runs the plain-loop engine
modules = ["--add-modules", "jdk.incubator.vector"] if vector != "off" else []
spec = {
    "argv": [java, f"-Xmx{heap}", "-Djava.awt.headless=true", *modules,
             "-cp", f"{root}/notebooks/kernel/target/sofim-kernel.jar:{root}/notebooks/kernel/target/lib/*",
             "dev.sofim.kernel.KernelMain", "{connection_file}"],
    "display_name": "Java (sofim)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"IJAVA_TIMEOUT": timeout},
}
if log:
    spec["env"]["SOFIM_KERNEL_LOG"] = log
json.dump(spec, open(out, "w"), indent=2)
PY
mv -f "$tmp" "$dest/kernel.json"
echo "kernel: installed $dest/kernel.json"
