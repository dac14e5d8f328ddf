"""PyTorch CPU side of `sofim bench throughput --compare-pytorch`: the toolkit's LeNet-5 (or, --model mlp, its MLP), trained on the same images
and batches, with SOFIM (the paper reading, one Fisher matrix over all parameters) and SGD with Nesterov momentum.

The Java side starts this script once and drives it over stdin, one line per round, so that DL4J and PyTorch take
turns and slow phases of a shared machine hit both:
    round OPTIMIZER BATCHES  ->  prints "rate IMAGES_PER_SECOND loss MEAN_LOSS"
    eval OPTIMIZER           ->  the same model evaluated on all the images in chunks of --eval-chunk, forward only
                                 under torch.no_grad(), mean loss and accuracy as the toolkit scores them:
                                 prints "rate IMAGES_PER_SECOND loss MEAN_LOSS accuracy ACCURACY"
    quit
Only Python's standard library and torch (Debian: python3-torch); numpy is not needed.
"""
import argparse
import array
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    """The toolkit's LENET: conv 5x5x6 (same) ReLU, max-pool 2, conv 5x5x16 ReLU, max-pool 2, 120, 84, softmax,
    initialised as the toolkit initialises it."""

    def __init__(self, channels, height, width, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        h, w = (height // 2 - 4) // 2, (width // 2 - 4) // 2
        self.fc1 = nn.Linear(16 * h * w, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)
        for m in self.modules():   # the toolkit's WeightInit.RELU: He-normal weights N(0, 2/fan_in), zero biases
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Mlp(nn.Module):
    """The toolkit's MLP: dense 256 ReLU, dense 128 ReLU, softmax, initialised as the toolkit initialises it."""

    def __init__(self, channels, height, width, classes):
        super().__init__()
        self.fc1 = nn.Linear(channels * height * width, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, classes)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


MODELS = {"lenet": LeNet5, "mlp": Mlp}


class Sofim:
    """SOFIM, paper reading: m = b m + (1-b) g, m^ = m / (1 - b^t), theta -= lr m^ / (rho + |m^|^2), over all
    parameters as one flat vector (the toolkit's global scope)."""

    def __init__(self, params, lr, beta, rho):
        self.params = list(params)
        self.lr, self.beta, self.rho, self.t = lr, beta, rho, 0
        self.m = torch.zeros(sum(p.numel() for p in self.params))

    @torch.no_grad()
    def step(self):
        self.t += 1
        g = torch.cat([p.grad.reshape(-1) for p in self.params])
        self.m.mul_(self.beta).add_(g, alpha=1 - self.beta)
        m_hat = self.m / (1 - self.beta ** self.t)
        d = m_hat.mul_(self.lr / (self.rho + float(m_hat.dot(m_hat))))
        offset = 0
        for p in self.params:
            n = p.numel()
            p.sub_(d[offset:offset + n].view_as(p))
            offset += n

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def read_floats(path):
    a = array.array("f")
    with open(path, "rb") as f:
        a.frombytes(f.read())
    return torch.tensor(a, dtype=torch.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--shape", required=True, help="N,C,H,W")
    ap.add_argument("--classes", type=int, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--eval-chunk", type=int, default=1000)
    ap.add_argument("--model", choices=sorted(MODELS), default="lenet")
    ap.add_argument("--sofim", required=True, help="learningRate,beta,rho")
    ap.add_argument("--nesterov", required=True, help="learningRate,momentum")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    n, c, h, w = (int(v) for v in a.shape.split(","))
    x = read_floats(a.images).view(n, c, h, w)
    y = read_floats(a.labels).long()
    lr, beta, rho = (float(v) for v in a.sofim.split(","))
    nlr, mom = (float(v) for v in a.nesterov.split(","))
    models, optimizers, cursor = {}, {}, {}
    models["sofim"] = MODELS[a.model](c, h, w, a.classes)
    optimizers["sofim"] = Sofim(models["sofim"].parameters(), lr, beta, rho)
    models["nesterov"] = MODELS[a.model](c, h, w, a.classes)
    optimizers["nesterov"] = torch.optim.SGD(models["nesterov"].parameters(), lr=nlr, momentum=mom, nesterov=True)
    batches = [(x[i:i + a.batch], y[i:i + a.batch]) for i in range(0, n - a.batch + 1, a.batch)]
    print("ready torch " + torch.__version__ + " threads " + str(torch.get_num_threads()) + " params "
          + str(sum(p.numel() for p in models["sofim"].parameters())), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "eval":
            model = models[words[1]]
            t0 = time.perf_counter()
            total, correct = 0.0, 0
            with torch.no_grad():
                for i in range(0, n, a.eval_chunk):
                    logits = model(x[i:i + a.eval_chunk])
                    total += float(F.cross_entropy(logits, y[i:i + a.eval_chunk], reduction="sum"))
                    correct += int((logits.argmax(1) == y[i:i + a.eval_chunk]).sum())
            rate = n / (time.perf_counter() - t0)
            print("rate %.3f loss %.6f accuracy %.6f" % (rate, total / n, correct / n), flush=True)
            continue
        name, count = words[1], int(words[2])
        model, opt = models[name], optimizers[name]
        k = cursor.get(name, 0)
        total, images = 0.0, 0
        t0 = time.perf_counter()
        for _ in range(count):
            xb, yb = batches[k % len(batches)]
            k += 1
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            total += float(loss)
            images += xb.shape[0]
        rate = images / (time.perf_counter() - t0)
        cursor[name] = k
        print("rate %.3f loss %.6f" % (rate, total / count), flush=True)


if __name__ == "__main__":
    main()
