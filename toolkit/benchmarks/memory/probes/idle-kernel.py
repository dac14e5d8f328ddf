#!/usr/bin/python3
"""What a notebook's kernel keeps once the notebook has run: the case of a Binder user who leaves one notebook's tab open
and opens the next. Runs every code cell of NOTEBOOK on the kernelspec "java" (JUPYTER_PATH selects which), waits, and
prints the kernel process's resident size (VmRSS) and its anonymous part (RssAnon), then shuts the kernel down.
Usage, from the repository root (Debian's python3, which has jupyter_client):
    /usr/bin/python3 toolkit/benchmarks/memory/probes/idle-kernel.py notebooks/01-quickstart.ipynb [SECONDS]
"""
import json
import os
import sys
import time

from jupyter_client.manager import start_new_kernel


def status(pid):
    with open(f"/proc/{pid}/status") as f:
        return {k: int(v.split()[0]) >> 10 for k, v in (l.split(":", 1) for l in f) if k in ("VmRSS", "RssAnon", "VmHWM")}


def main():
    if len(sys.argv) < 2 or not os.path.isfile(sys.argv[1]):
        sys.exit("usage: idle-kernel.py NOTEBOOK.ipynb [SECONDS]; no notebook at %r" % (sys.argv[1:2] or [""])[0])
    notebook = os.path.abspath(sys.argv[1])
    wait = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    cells = [''.join(c["source"]) for c in json.load(open(notebook))["cells"] if c["cell_type"] == "code"]
    km, kc = start_new_kernel(kernel_name="java", cwd=os.path.dirname(notebook))
    try:
        pid = km.provisioner.process.pid
        start = time.time()
        for i, code in enumerate(cells):
            reply = kc.execute_interactive(code, timeout=3600, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                sys.exit("%s: cell %d failed: %s" % (notebook, i, reply["content"].get("evalue", reply["content"])))
        ran = time.time() - start
        time.sleep(wait)
        s = status(pid)
        print("%s ran=%.0fs idle_after=%.0fs VmRSS=%dMiB RssAnon=%dMiB VmHWM=%dMiB"
              % (os.path.basename(notebook), ran, wait, s["VmRSS"], s["RssAnon"], s["VmHWM"]))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
