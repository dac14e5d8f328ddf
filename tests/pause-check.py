#!/usr/bin/python3
"""Runs a notebook's code cells on a Jupyter kernel twice, once straight through and once with a pause before every
training cell, and compares the RESULT lines and the printed numbers.

IJava runs each cell on a thread of a cached pool that drops threads idle for 60 s, so a cell after a longer pause
runs on a new thread; ND4J's one-thread pin must reach it (the toolkit pins the thread of every run). Usage:

    JUPYTER_PATH=DIR/share/jupyter /usr/bin/python3 tests/pause-check.py notebooks/01-quickstart.ipynb [--pause 75]

Exit status 0 when both runs print the same numbers, 1 when they differ, 2 on a bad argument or a failing cell.
"""
import argparse
import json
import os
import pathlib
import re
import sys
import tempfile
import time

import jupyter_client

TRAINING = re.compile(r"\btrain\(|\.run\(|\.tune\(|SoftmaxRace\.run|trainer\.train\(|watch\(")
NUMBER = re.compile(r"-?\d+\.\d{3,}")


def run(path, pause, kernel_name):
    nb = json.load(open(path))
    # a fresh results folder per run: a notebook resumes what a folder holds, and would not train again
    env = dict(os.environ, SOFIM_RESULTS_DIR=tempfile.mkdtemp(prefix="pause-check-"))
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=kernel_name, cwd=str(pathlib.Path(path).parent), env=env)
    out = []
    try:
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            if pause and TRAINING.search(src):
                time.sleep(pause)
            reply = kc.execute_interactive(src, timeout=1800, output_hook=lambda m: out.append(m))
            if reply["content"]["status"] != "ok":
                sys.exit(f"pause-check: a cell failed in {path}: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = []
    for m in out:
        c = m["content"]
        if m["msg_type"] == "stream":
            text.append(c["text"])
        elif m["msg_type"] in ("execute_result", "display_data") and "text/plain" in c.get("data", {}) \
                and not any(k.startswith("image/") for k in c["data"]):
            text.append(c["data"]["text/plain"])
    return "".join(text)


def numbers(text):
    # wall-clock columns and progress lines change from run to run; the RESULT lines and tables' metrics must not
    keep = [l for l in text.splitlines() if l.startswith("RESULT ") or ("loss" in l and "s (" not in l and "seconds" not in l)]
    return [l for l in keep if NUMBER.search(l) or l.startswith("RESULT ")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--pause", type=float, default=75.0, help="seconds before every training cell (IJava drops idle threads after 60)")
    ap.add_argument("--kernel", default="java")
    a = ap.parse_args()
    if a.pause <= 60:
        print(f"pause-check: --pause {a.pause} is not longer than IJava's 60 s keep-alive; expected more than 60", file=sys.stderr)
        sys.exit(2)
    straight = numbers(run(a.notebook, 0, a.kernel))
    paused = numbers(run(a.notebook, a.pause, a.kernel))
    results = [l for l in straight if l.startswith("RESULT ")]
    if straight == paused:
        print(f"pause-check: {a.notebook}: the same {len(straight)} lines of numbers with and without a {a.pause:.0f} s pause; " + "; ".join(results))
        return 0
    print(f"pause-check: {a.notebook}: DIFFERENT numbers after a {a.pause:.0f} s pause")
    for s, p in zip(straight, paused):
        if s != p:
            print(f"  straight: {s}\n  paused:   {p}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
