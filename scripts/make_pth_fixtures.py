#!/usr/bin/python3
"""Small torch.save files for test/models/pth.test.ts, with the values they must read as.

Writes into OUT_DIR (default test/fixtures/pth/):
  basic.pth       contiguous float32 (2-D, 0-d, empty) and int64 tensors (one beyond 2^31)
  views.pth       views of shared storages: a transpose, an offset 2-D slice, a strided column,
                  a contiguous row at an offset, an expanded (stride 0) row
  module.pth      the state dict of a tiny Conv2d + BatchNorm2d + Linear (OrderedDict with
                  _metadata, num_batches_tracked)
  legacy.pth      basic's dict in the pre-1.6 format (the reader must refuse it clearly)
  float64.pth     a float64 tensor (unsupported storage type)
  whole_module.pth  torch.save of an nn.Module object, not its state dict (unsupported global)
  expected.json   {file: {key: {shape, dtype, values (row-major)}}} for basic, views and module

Run with Debian's python (torch 1.13): /usr/bin/python3 scripts/make_pth_fixtures.py
"""
import collections
import json
import os
import sys

import torch


def described(sd):
    return {k: {'shape': list(v.shape), 'dtype': 'I64' if v.dtype == torch.int64 else 'F32',
                'values': v.contiguous().reshape(-1).tolist()} for k, v in sd.items()}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'pth')
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(4)

    basic = collections.OrderedDict()
    basic['weight'] = torch.randn(2, 3)
    basic['scalar'] = torch.tensor(-1.5)
    basic['empty'] = torch.zeros(0, 4)
    basic['ids'] = torch.tensor([0, -7, 2 ** 40 + 3], dtype=torch.int64)
    basic['num_batches_tracked'] = torch.tensor(12345, dtype=torch.int64)

    base = torch.randn(4, 5)
    views = collections.OrderedDict()
    views['base'] = base
    views['transposed'] = base.t()               # stride (1, 5)
    views['block'] = base[1:, 2:]                # offset 7, stride (5, 1)
    views['column'] = base[:, 3]                 # offset 3, stride (5,)
    views['row'] = base[2]                       # contiguous at offset 10
    views['expanded'] = base[0].expand(3, 5)     # stride (0, 1)
    views['other'] = torch.arange(6, dtype=torch.float32).reshape(2, 3)[:, ::2]  # stride (3, 2), its own storage
    assert not views['transposed'].is_contiguous() and views['block'].storage_offset() == 7

    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, bias=False), torch.nn.BatchNorm2d(4), torch.nn.Flatten(),
                              torch.nn.Linear(4 * 3 * 3, 2))
    net.train()
    net(torch.randn(2, 3, 5, 5))  # running statistics and num_batches_tracked move away from their defaults
    module = net.state_dict()

    torch.save(basic, os.path.join(out, 'basic.pth'))
    torch.save(views, os.path.join(out, 'views.pth'))
    torch.save(module, os.path.join(out, 'module.pth'))
    torch.save(basic, os.path.join(out, 'legacy.pth'), _use_new_zipfile_serialization=False)
    torch.save({'w': torch.randn(2, dtype=torch.float64)}, os.path.join(out, 'float64.pth'))
    torch.save(torch.nn.Linear(2, 2), os.path.join(out, 'whole_module.pth'))
    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump({'basic.pth': described(basic), 'views.pth': described(views), 'module.pth': described(module)}, f, indent=1)
        f.write('\n')
    print(f'fixtures written to {out} (torch {torch.__version__})')


if __name__ == '__main__':
    main()
