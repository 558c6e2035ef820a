#!/usr/bin/python3
"""PyTorch peer for `repro bench`: trains akamaster-style CIFAR ResNets (option A shortcuts) on
random data with the same thread count and batch, in both memory formats, and prints one JSON
object on stdout. Run with Debian's /usr/bin/python3 (python3-torch); no downloads.

usage: torch_bench.py --models resnet20,resnet56 --batch 128 --steps 20 --warmup 3 --threads 2 --block 10
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ShortcutA(nn.Module):
    """Option A: subsample spatially and zero-pad the new channels (no parameters)."""

    def __init__(self, planes):
        super().__init__()
        self.pad = planes // 4

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = ShortcutA(planes) if stride != 1 or in_planes != planes else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, n, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                layers.append(BasicBlock(in_planes, planes, stride if i == 0 else 1))
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


DEPTHS = {'resnet20': 3, 'resnet32': 5, 'resnet44': 7, 'resnet56': 9, 'resnet110': 18}


def images_per_second(name, fmt, batch, steps, warmup, block, device='cpu'):
    """Images per second of the fastest run of `block` consecutive steps (as `repro bench` does)."""
    torch.manual_seed(0)
    model = CifarResNet(DEPTHS[name]).train()
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))
    if fmt == 'channels_last':
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    model, x, y = model.to(device), x.to(device), y.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        if device != 'cpu':
            loss.item()  # wait for the GPU, as `repro bench` reads its loss every step

    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - t0)
    n = max(1, min(block, steps))
    best = min(sum(seconds[i:i + n]) for i in range(steps - n + 1))
    return batch * n / best


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--models', default='resnet20,resnet56')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, required=True)
    p.add_argument('--block', type=int, default=10)
    p.add_argument('--device', default='cpu', help='cpu or cuda (scripts/gpu_check.sh)')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    results = {}
    for name in a.models.split(','):
        if name not in DEPTHS:
            print(f'torch_bench.py: unknown model {name}; expected one of {sorted(DEPTHS)}', file=sys.stderr)
            return 2
        per = {fmt: images_per_second(name, fmt, a.batch, a.steps, a.warmup, a.block, a.device) for fmt in ('nchw', 'channels_last')}
        best = max(per, key=per.get)
        results[name] = {'imgPerSec': per, 'best': per[best], 'bestFormat': best}
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'device': a.device, 'results': results}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
