#!/usr/bin/env python3
"""PyTorch's side of the side-by-side: the same SmallCNN (softplus), batch, optimizer, objectives and timing as
`submit/llr bench`, on the same Fashion-MNIST images, for a user comparing llr-spark with the framework they would
pick instead. LLR here is what a PyTorch user writes: exact double backpropagation through the input gradient.

Usage: submit/bench-pytorch [--steps N] [--threads N] [--only standard,ADV-2,...]
Runs Debian's python3-torch (apt install python3-torch); prints the CPU line first, as the Java benchmarks do.
"""
import argparse
import gzip
import os
import re
import statistics
import struct
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
EPS = 0.1


def images(n):
    with gzip.open(os.path.join(DATA, "train-images-idx3-ubyte.gz")) as f:
        _, count, rows, cols = struct.unpack(">IIII", f.read(16))
        pixels = torch.frombuffer(bytearray(f.read(n * rows * cols)), dtype=torch.uint8)
    with gzip.open(os.path.join(DATA, "train-labels-idx1-ubyte.gz")) as f:
        f.read(8)
        labels = torch.frombuffer(bytearray(f.read(n)), dtype=torch.uint8)
    return pixels.float().div(255).view(n, 1, rows, cols), labels.long()


class SmallCNN(nn.Module):
    """conv 3x3x32 -> maxpool 2 -> softplus -> conv 3x3x64 -> maxpool 2 -> softplus -> dense 128 -> dense 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.softplus(F.max_pool2d(self.conv1(x), 2))
        x = F.softplus(F.max_pool2d(self.conv2(x), 2))
        return self.fc2(F.softplus(self.fc1(x.flatten(1))))


def standard(net, x, y):
    return F.cross_entropy(net(x), y)


def adv(k):
    def loss(net, x, y):
        delta = torch.empty_like(x).uniform_(-EPS, EPS)
        for _ in range(k):
            delta.requires_grad_(True)
            g, = torch.autograd.grad(F.cross_entropy(net((x + delta).clamp(0, 1)), y), delta)
            delta = (delta.detach() + 2.5 * EPS / k * g.sign()).clamp(-EPS, EPS)
        return F.cross_entropy(net((x + delta).clamp(0, 1)), y)
    return loss


def trades(k, beta=6.0):
    def loss(net, x, y):
        clean = net(x)
        p = F.softmax(clean.detach(), dim=1)
        x_adv = x + 0.001 * torch.randn_like(x)
        for _ in range(k):
            x_adv.requires_grad_(True)
            kl = F.kl_div(F.log_softmax(net(x_adv), dim=1), p, reduction="batchmean")
            g, = torch.autograd.grad(kl, x_adv)
            x_adv = torch.min(torch.max(x_adv.detach() + 2.5 * EPS / k * g.sign(), x - EPS), x + EPS).clamp(0, 1)
        robust = F.kl_div(F.log_softmax(net(x_adv), dim=1), F.softmax(clean, dim=1), reduction="batchmean")
        return F.cross_entropy(clean, y) + beta * robust
    return loss


def llr(k, lam=4.0, mu=3.0):
    """The paper's loss with exact double backpropagation: |delta^T grad_x l(x)| and gamma differentiated through."""
    def loss(net, x, y):
        x = x.clone().requires_grad_(True)
        per_example = F.cross_entropy(net(x), y, reduction="none")
        grad_x, = torch.autograd.grad(per_example.sum(), x, create_graph=True)
        delta = torch.empty_like(x).uniform_(-EPS, EPS)
        for _ in range(k):
            delta.requires_grad_(True)
            gap = (F.cross_entropy(net(x.detach() + delta), y, reduction="none") - per_example.detach()
                   - (delta * grad_x.detach()).flatten(1).sum(1)).abs().mean()
            g, = torch.autograd.grad(gap, delta)
            delta = (delta.detach() + 2.5 * EPS / k * g.sign()).clamp(-EPS, EPS)
        linear = (delta * grad_x).flatten(1).sum(1)
        gamma = (F.cross_entropy(net(x + delta), y, reduction="none") - per_example - linear).abs()
        return per_example.mean() + lam * gamma.mean() + mu * linear.abs().mean()
    return loss


OBJECTIVES = {"standard": standard, "ADV-2": adv(2), "ADV-7": adv(7), "ADV-10": adv(10), "TRADES-2": trades(2),
              "LLR-2": llr(2)}


def cpu_line():
    model, flags = "unknown CPU", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "unknown CPU":
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    isa = [i for i in ("avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx2", "fma", "avx") if i in flags]
    return (f"CPU: {model}, {os.cpu_count()} cores, {' '.join(isa) or 'no AVX'} | PyTorch {torch.__version__}, "
            f"ATen CPU capability {os.environ.get('ATEN_CPU_CAPABILITY', 'all')}, oneDNN ISA "
            f"{os.environ.get('ONEDNN_MAX_CPU_ISA', os.environ.get('DNNL_MAX_CPU_ISA', 'all'))} | threads "
            f"{torch.get_num_threads()}")


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--steps", type=int, default=20)
    a.add_argument("--threads", type=int, default=os.cpu_count())
    a.add_argument("--batch", type=int, default=128)
    a.add_argument("--only", default=",".join(OBJECTIVES))
    args = a.parse_args()
    names = args.only.split(",")
    unknown = [n for n in names if n not in OBJECTIVES]
    if unknown:
        sys.exit(f"bench-pytorch: unknown objective {unknown}: one of {list(OBJECTIVES)}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x_all, y_all = images(args.batch * (args.steps + 3))
    print(cpu_line())
    print(f"SmallCNN (softplus), batch {args.batch}, median of {args.steps} timed steps after at least 3 warm-up "
          f"steps and 2 s")
    print(f"{'objective':<10} {'ms/step':>8} {'p10-p90':>13} {'images/s':>10}")
    batches = len(y_all) // args.batch
    for name in names:
        net = SmallCNN()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)

        def step(s):
            i = s % batches
            x, y = x_all[i * args.batch:(i + 1) * args.batch], y_all[i * args.batch:(i + 1) * args.batch]
            opt.zero_grad()
            OBJECTIVES[name](net, x, y).backward()
            opt.step()

        s, end = 0, time.perf_counter() + 2
        while s < 3 or time.perf_counter() < end:
            step(s)
            s += 1
        ms = []
        for _ in range(args.steps):
            t = time.perf_counter()
            step(s)
            s += 1
            ms.append((time.perf_counter() - t) * 1000)
        q = statistics.quantiles(ms, n=10)
        med = statistics.median(ms)
        print(f"{name:<10} {med:8.1f} {q[0]:6.1f}-{q[-1]:<6.1f} {args.batch * 1000 / med:10.1f}")


if __name__ == "__main__":
    main()
