"""PyTorch CPU side of `sofim bench conv-probe`: LeNet-5's two convolutions and the whole LeNet-5 forward and
backward, on one thread. The Java side starts this script once and drives it over stdin, so that its rows take turns
with ND4J's; each request times CALLS calls and prints the ms a call:
    conv c1|c2 BATCH fwd|bwd CALLS  ->  "ms MS"   (bwd: the backward alone; c1's input needs no gradient, as in
                                                   training; c2's does)
    lenet BATCH CALLS               ->  "ms MS"   (forward, loss and backward, no optimizer)
    quit
It prints "ready torch VERSION" first. Only Python's standard library and torch (Debian: python3-torch).
"""
import sys
import time

import torch
import torch.nn.functional as F

from torch_lenet import LeNet5

SHAPES = {"c1": (1, 6, 28, 2), "c2": (6, 16, 14, 0)}


def timed(fn, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) * 1e3 / calls


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    convs, lenets = {}, {}
    print("ready torch " + torch.__version__, flush=True)
    for line in sys.stdin:
        w = line.split()
        if not w or w[0] == "quit":
            break
        if w[0] == "conv":
            name, batch, part, calls = w[1], int(w[2]), w[3], int(w[4])
            key = (name, batch)
            if key not in convs:
                cin, cout, size, pad = SHAPES[name]
                x = torch.rand(batch, cin, size, size, requires_grad=(cin != 1))
                wt = torch.rand(cout, cin, 5, 5, requires_grad=True)
                b = torch.rand(cout, requires_grad=True)
                with torch.no_grad():
                    dy = torch.full_like(F.conv2d(x, wt, b, padding=pad), 0.25)
                convs[key] = (x, wt, b, pad, dy)
            x, wt, b, pad, dy = convs[key]
            fwd = timed(lambda: F.conv2d(x, wt, b, padding=pad), calls)
            if part == "fwd":
                ms = fwd
            else:
                ms = max(timed(lambda: F.conv2d(x, wt, b, padding=pad).backward(dy), calls) - fwd, 0.0)
        elif w[0] == "lenet":
            batch, calls = int(w[1]), int(w[2])
            if batch not in lenets:
                lenets[batch] = (LeNet5(1, 28, 28, 10), torch.rand(batch, 1, 28, 28), torch.arange(batch) % 10)
            model, xb, yb = lenets[batch]

            def step():
                model.zero_grad(set_to_none=True)
                F.cross_entropy(model(xb), yb).backward()

            ms = timed(step, calls)
        else:
            print("error unknown request " + line.strip(), flush=True)
            continue
        print("ms %.5f" % ms, flush=True)


if __name__ == "__main__":
    main()
