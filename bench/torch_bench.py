#!/usr/bin/python3
"""PyTorch peer for `repro bench`: trains one net of the bench on random data with the given
thread count, batch and memory format, and prints one JSON object on stdout (images per second,
the process's peak RSS). One net per process, so that each peak RSS is that net's own. With
--matmul it instead times a large float32 matrix product (GFLOP/s). Run with Debian's
/usr/bin/python3 (python3-torch, python3-torchvision); no downloads.

usage: torch_bench.py --net resnet20 --batch 128 --steps 10 --warmup 2 --threads 2 --block 5 --format channels_last
       torch_bench.py --matmul 2048 --threads 2
       torch_bench.py --check resnet20,resnext50_32x4d --threads 2   (builds and steps each net once)
"""
import argparse
import json
import resource
import sys
import time
import types

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class ShortcutA(nn.Module):
    """Option A: subsample spatially and zero-pad the new channels (no parameters)."""

    def __init__(self, planes):
        super().__init__()
        self.pad = planes // 4

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))


class BasicBlock(nn.Module):
    """akamaster's CIFAR block; residual=False is the plain twin (no shortcut at all)."""

    def __init__(self, in_planes, planes, stride, residual):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.residual = residual
        self.shortcut = ShortcutA(planes) if stride != 1 or in_planes != planes else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x) if self.residual else out)


class CifarResNet(nn.Module):
    def __init__(self, n, residual, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                layers.append(BasicBlock(in_planes, planes, stride if i == 0 else 1, residual))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.linear = nn.Linear(64, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


def _dropout_block_forward(self, x):
    """torchvision's BasicBlock with Dropout after the first ReLU (our resnet18_tiny_drop<rate>)."""
    identity = x if self.downsample is None else self.downsample(x)
    out = self.drop(self.relu(self.bn1(self.conv1(x))))
    out = self.bn2(self.conv2(out))
    return self.relu(out + identity)


def tiny_resnet18(dropout):
    """Tiny-ImageNet ResNet-18: 3×3/1 stem, no max-pool, 200 classes (our resnet18_tiny)."""
    m = torchvision.models.resnet18(num_classes=200)
    m.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    if dropout:
        for layer in (m.layer1, m.layer2, m.layer3, m.layer4):
            for block in layer:
                block.drop = nn.Dropout(dropout)
                block.forward = types.MethodType(_dropout_block_forward, block)
    return m


CIFAR = {'resnet20': (3, True), 'resnet32': (5, True), 'resnet44': (7, True), 'resnet56': (9, True),
         'resnet110': (18, True), 'plain20': (3, False), 'plain32': (5, False), 'plain44': (7, False),
         'plain56': (9, False)}


def build(name):
    """(model, input side, classes) for a bench net; None when unknown."""
    if name in CIFAR:
        n, residual = CIFAR[name]
        return CifarResNet(n, residual), 32, 10
    if name == 'resnet18_tiny':
        return tiny_resnet18(0), 64, 200
    if name.startswith('resnet18_tiny_drop'):
        return tiny_resnet18(float(name[len('resnet18_tiny_drop'):])), 64, 200
    if name in ('resnet50', 'resnext50_32x4d'):
        return getattr(torchvision.models, name)(num_classes=10), 64, 10
    return None


def train_rate(name, fmt, batch, steps, warmup, block, device='cpu'):
    """Images per second of the fastest run of `block` consecutive steps (as `repro bench` does)."""
    torch.manual_seed(0)
    built = build(name)
    if built is None:
        raise SystemExit(f'torch_bench.py: unknown net {name}')
    model, side, classes = built
    model = model.to(device)
    model.train()
    x = torch.randn(batch, 3, side, side, device=device)
    y = torch.randint(0, classes, (batch,), device=device)
    if fmt == 'channels_last':
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - t0)
    n = max(1, min(block, steps))
    best = min(sum(seconds[i:i + n]) for i in range(steps - n + 1))
    return batch * n / best, batch * steps / sum(seconds)


def matmul_gflops(n, repeats=5):
    """Best GFLOP/s of an n×n by n×n float32 product (2n³ FLOPs)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = float('inf')
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best / 1e9


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--net')
    p.add_argument('--format', choices=('nchw', 'channels_last'), default='channels_last')
    p.add_argument('--device', default='cpu', help="torch device, e.g. cuda (scripts/gpu_check.sh)")
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--threads', type=int, required=True)
    p.add_argument('--block', type=int, default=5)
    p.add_argument('--matmul', type=int)
    p.add_argument('--check', help='comma-separated nets: build each and run one training step at batch 2')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
    if a.check:
        out['checked'] = [n for n in a.check.split(',') if train_rate(n, a.format, 2, 1, 0, 1)[0] > 0]
    elif a.matmul:
        out['gflops'] = matmul_gflops(a.matmul)
    elif a.net:
        best, mean = train_rate(a.net, a.format, a.batch, a.steps, a.warmup, a.block, a.device)
        out.update({'net': a.net, 'format': a.format, 'device': a.device, 'imgPerSec': best, 'imgPerSecMean': mean})
    else:
        print('torch_bench.py: give --net NAME or --matmul N', file=sys.stderr)
        return 2
    out['peakRssMb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
