#!/usr/bin/python3
"""Torch references for the zoo's variants that A7 (torchvision resnet18/50/resnext50, eval mode) does not
cover: the CIFAR family with shortcut options A/B/C and its plain twin (akamaster's layout, re-implemented
here since it is not in torchvision), seed 001's 7/9-layer nets as the registry defines them, the paper's
v1 bottleneck (resnet50 with its stride moved to the first 1x1), the Tiny-ImageNet stem, seed 000's
sequential head, VGG's channel-major flatten (a small VGG: torchvision's make_layers, 224x224), and, in
training mode, outputs, gradients and updated BN running statistics of resnet20 (option A) and a small
ResNeXt (torchvision ResNet(Bottleneck, [1,1,1,1], groups=4, width_per_group=8, num_classes=10)).

Writes per case into OUT_DIR: <case>.safetensors (state dict) and <case>.io.safetensors ("input",
eval-mode "output"; for training cases also "train_input", "train_output", "train_w" (loss = sum(out *
train_w)), "grad.<param key>" and "after.<running stat key>").

usage: /usr/bin/python3 scripts/export_torch_variants.py OUT_DIR
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.resnet import Bottleneck, ResNet
from torchvision.models.vgg import make_layers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torchvision import randomise_batch_norm, write_safetensors  # noqa: E402  (one writer, one BN randomisation)


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class BasicBlock(nn.Module):
    """akamaster's BasicBlock, plus option C (projection everywhere) and the plain twin (no shortcut)."""

    def __init__(self, cin, planes, stride, option, residual):
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        change = stride != 1 or cin != planes
        if residual and (option == 'C' or (option == 'B' and change)):
            self.shortcut = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
        elif residual and option == 'A' and change:
            pad = planes // 4
            self.shortcut = Lambda(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad), 'constant', 0))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.residual:
            out = out + self.shortcut(x)
        return F.relu(out)


class CifarResNet(nn.Module):
    """akamaster's ResNet; `post` = (filters, stride) of the extra conv2/bn2 of the 7/9-layer nets."""

    def __init__(self, blocks, filters, option='A', residual=True, post=None):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        self.stages = len(filters)
        for i, (n, f) in enumerate(zip(blocks, filters)):
            layers = []
            for j in range(n):
                layers.append(BasicBlock(cin, f, 2 if (i > 0 and j == 0) else 1, option, residual))
                cin = f
            setattr(self, f'layer{i + 1}', nn.Sequential(*layers))
        self.post = post
        if post:
            self.conv2 = nn.Conv2d(cin, post[0], 3, post[1], 1, bias=False)
            self.bn2 = nn.BatchNorm2d(post[0])
            cin = post[0]
        self.linear = nn.Linear(cin, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for i in range(self.stages):
            x = getattr(self, f'layer{i + 1}')(x)
        if self.post:
            x = F.relu(self.bn2(self.conv2(x)))
        return self.linear(F.avg_pool2d(x, x.size()[3]).flatten(1))


class SmallVgg(nn.Module):
    """torchvision's VGG layout (features, AdaptiveAvgPool2d(7), flatten, classifier 0/3/6) at a small width."""

    def __init__(self, cfg, hidden):
        super().__init__()
        self.features = make_layers(cfg)
        self.avgpool = nn.AdaptiveAvgPool2d(7)
        c = [v for v in cfg if v != 'M'][-1]
        self.classifier = nn.Sequential(nn.Linear(c * 49, hidden), nn.ReLU(True), nn.Dropout(),
                                        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def resnet50_v1():
    m = torchvision.models.resnet50(weights=None)
    for layer in (m.layer2, m.layer3, m.layer4):
        layer[0].conv1.stride, layer[0].conv2.stride = (2, 2), (1, 1)
    return m


def resnet18_tiny():
    m = torchvision.models.resnet18(weights=None, num_classes=200)
    m.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    return m


def resnet18_seqhead():
    m = torchvision.models.resnet18(weights=None)
    m.fc = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 2), nn.LogSoftmax(dim=1))
    return m


# case: (builder, input size, training-mode reference too?)
CASES = {
    'resnet20': (lambda: CifarResNet([3, 3, 3], [16, 32, 64], 'A'), 16, True),  # 16x16: training on pure JS is slow
    'resnet20_B': (lambda: CifarResNet([3, 3, 3], [16, 32, 64], 'B'), 32, False),
    'resnet20_C': (lambda: CifarResNet([3, 3, 3], [16, 32, 64], 'C'), 32, False),
    'plain20': (lambda: CifarResNet([3, 3, 3], [16, 32, 64], 'A', residual=False), 32, False),
    'resnet7': (lambda: CifarResNet([1, 1], [16, 32], 'A', post=(64, 2)), 32, False),
    'plain9': (lambda: CifarResNet([1, 1, 1], [16, 32, 64], 'A', residual=False, post=(64, 1)), 32, False),
    # Fully convolutional with global pooling: small inputs keep the pure-JS backend fast.
    'resnet50_v1': (resnet50_v1, 32, False),
    'resnet18_tiny': (resnet18_tiny, 16, False),
    'resnet18_seqhead': (resnet18_seqhead, 32, False),
    'small_vgg': (lambda: SmallVgg([8, 'M', 8, 'M', 16, 'M', 16, 'M', 16, 'M'], 32), 224, False),
    'small_resnext': (lambda: ResNet(Bottleneck, [1, 1, 1, 1], groups=4, width_per_group=8, num_classes=10), 32, True),
}


def main():
    out_dir = sys.argv[1]
    torch.set_num_threads(1)
    for i, (name, (build, size, train)) in enumerate(CASES.items()):
        torch.manual_seed(2000 + i)
        model = build()
        randomise_batch_norm(model, size)
        state = {k: v.clone() for k, v in model.state_dict().items()}
        model.eval()
        x = torch.randn(2, 3, size, size)
        with torch.no_grad():
            io = {'input': x, 'output': model(x)}
        if train:
            model.train()
            xt = torch.randn(4, 3, size, size)
            yt = model(xt)
            w = torch.randn_like(yt)
            (yt * w).sum().backward()
            io.update({'train_input': xt, 'train_output': yt.detach(), 'train_w': w})
            io.update({f'grad.{k}': p.grad for k, p in model.named_parameters()})
            io.update({f'after.{k}': v for k, v in model.state_dict().items() if 'running' in k})
        write_safetensors(f'{out_dir}/{name}.safetensors', state)
        write_safetensors(f'{out_dir}/{name}.io.safetensors', io)
        print(f'{name}: eval output max |y| {io["output"].abs().max().item():.3f}')


if __name__ == '__main__':
    main()
