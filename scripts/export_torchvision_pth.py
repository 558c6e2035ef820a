#!/usr/bin/python3
"""A torchvision ResNet-18 state dict saved the way torchvision's weights are (torch.save, .pth),
for test/models/pth_torchvision.test.ts: random init (no download), BatchNorm randomised as for
claim A7, then into OUT_DIR:
  resnet18.pth            torch.save(model.state_dict())
  resnet18.io.safetensors "input" [N, 3, H, W] and torchvision's eval-mode "output" [N, 1000]

usage: /usr/bin/python3 scripts/export_torchvision_pth.py OUT_DIR [SIZE]
"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torchvision import randomise_batch_norm, write_safetensors  # noqa: E402


def main():
    out_dir = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    torch.set_num_threads(1)
    torch.manual_seed(2004)
    model = torchvision.models.resnet18(weights=None)
    randomise_batch_norm(model, size)
    model.eval()
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        y = model(x)
    torch.save(model.state_dict(), os.path.join(out_dir, 'resnet18.pth'))
    write_safetensors(os.path.join(out_dir, 'resnet18.io.safetensors'), {'input': x, 'output': y})
    print(f'resnet18: output max |y| {y.abs().max().item():.3f}')


if __name__ == '__main__':
    main()
