import {strict as assert} from 'node:assert';
import {countMacs, countParams} from '../../src/models/count';
import {buildModel} from '../../src/models/registry';

/** Params and MACs of a model built with zero weights (counting needs no initialisation). */
function counts(name: string): {params: number; macs: number} {
  const model = buildModel(name, {initialize: false});
  try {
    return {params: countParams(model), macs: countMacs(model)};
  } finally {
    model.dispose();
  }
}

describe('models/count', () => {
  describe('A1: torchvision parameter counts, exactly', () => {
    const expected: Record<string, number> = {
      resnet18: 11_689_512, resnet34: 21_797_672, resnet50: 25_557_032, resnet101: 44_549_160,
      resnet152: 60_192_808, resnext50_32x4d: 25_028_904,
      // torchvision's VGGs, for completeness of the FLOPs comparison
      vgg16: 138_357_544, vgg19: 143_667_240,
    };
    for (const [name, params] of Object.entries(expected)) {
      it(`${name} has ${params.toLocaleString('en-US')} parameters`, () => {
        assert.equal(counts(name).params, params);
      });
    }
    it('the v1 variants move the stride only: same parameters as v1.5', () => {
      for (const d of [50, 101, 152]) assert.equal(counts(`resnet${d}_v1`).params, counts(`resnet${d}`).params);
    });
  });

  describe('A2: multiply-adds at 224×224 within ±5% of the paper', () => {
    // The paper's numbers are for v1 bottlenecks (stride in the first 1×1); torchvision's v1.5 resnet50
    // costs 4.09 G, outside the tolerance, which is why resnet50_v1 exists.
    const paper: Record<string, number> = {
      resnet18: 1.8e9, resnet34: 3.6e9, resnet50_v1: 3.8e9, resnet101_v1: 7.6e9, resnet152_v1: 11.3e9,
      vgg19: 19.6e9, vgg16: 15.3e9,
    };
    const measured: Record<string, number> = {};
    for (const [name, macs] of Object.entries(paper)) {
      it(`${name}: ${(macs / 1e9).toFixed(1)} G ± 5%`, () => {
        measured[name] = counts(name).macs;
        const rel = measured[name] / macs - 1;
        assert.ok(Math.abs(rel) <= 0.05, `${name}: ${measured[name]} MACs is ${(rel * 100).toFixed(1)}% off`);
      });
    }
    it('torchvision resnet50 (v1.5) costs 4.09 G multiply-adds', () => {
      assert.equal(Math.round(counts('resnet50').macs / 1e7), 409);
    });
    it('ResNet-34 costs about 18% of VGG-19', () => {
      const ratio = counts('resnet34').macs / counts('vgg19').macs;
      assert.ok(Math.abs(ratio - 0.18) <= 0.01, `ratio ${ratio}`);
    });
  });

  describe('A3: CIFAR ResNets (option A)', () => {
    // Paper Table 6 (rounded) and the exact counts of the 6n+2 layout with parameter-free option-A
    // shortcuts: 3×3 stem (16) + 3 stages of n BasicBlocks + BN + linear(64→10).
    const table: Array<[number, number, number]> = [
      [20, 0.27e6, 269_722], [32, 0.46e6, 464_154], [44, 0.66e6, 658_586], [56, 0.85e6, 853_018],
      [110, 1.7e6, 1_727_962], [1202, 19.4e6, 19_421_274],
    ];
    for (const [depth, paper, exact] of table) {
      it(`resnet${depth}: ${exact.toLocaleString('en-US')} ≈ ${paper / 1e6}M`, () => {
        const p = counts(`resnet${depth}`).params;
        assert.equal(p, exact);
        const digits = paper >= 1e7 ? 1e5 : paper >= 1e6 ? 1e5 : 1e4; // the paper's rounding
        assert.equal(Math.round(p / digits) * digits, paper);
      });
    }
    it('the exact count follows from the layout formula for any n', () => {
      for (const n of [1, 3, 5]) {
        const convs = 27 * 16 + 16 * 16 * 9 * 2 * n + (16 * 32 * 9 + 32 * 32 * 9 * (2 * n - 1)) +
          (32 * 64 * 9 + 64 * 64 * 9 * (2 * n - 1));
        const bn = 2 * (16 + 2 * n * (16 + 32 + 64));
        assert.equal(counts(`resnet${6 * n + 2}`).params, convs + bn + 64 * 10 + 10);
      }
    });
  });

  describe('A4: shortcut options', () => {
    /** Parameters of a 1×1 projection conv (no bias) + BN from `cin` to `cout` channels. */
    const projection = (cin: number, cout: number) => cin * cout + 2 * cout;

    it('option A adds no parameters to the plain net (CIFAR and ImageNet)', () => {
      for (const [res, plain] of [['resnet20', 'plain20'], ['resnet56', 'plain56'], ['resnet34_A', 'plain34']]) {
        assert.equal(counts(res).params, counts(plain).params, `${res} vs ${plain}`);
      }
    });
    it('option B adds exactly the 1×1 convs + BN at the dimension changes', () => {
      // CIFAR: 16→32 and 32→64; the brief's "akamaster" counts 272,474 / 855,770 are these.
      const extra = projection(16, 32) + projection(32, 64);
      assert.equal(counts('resnet20_B').params - counts('plain20').params, extra);
      assert.equal(counts('resnet20_B').params, 272_474);
      assert.equal(counts('resnet56_B').params, 855_770);
      // ImageNet ResNet-34 (torchvision's layout is option B): 64→128, 128→256, 256→512.
      assert.equal(counts('resnet34').params - counts('plain34').params,
        projection(64, 128) + projection(128, 256) + projection(256, 512));
    });
    it('option C adds exactly a 1×1 conv + BN on every block', () => {
      const n = 3;
      const perBlock = (c: number) => projection(c, c);
      const cifar = n * perBlock(16) + projection(16, 32) + (n - 1) * perBlock(32) + projection(32, 64) + (n - 1) * perBlock(64);
      assert.equal(counts('resnet20_C').params - counts('plain20').params, cifar);
      const imagenet = 3 * perBlock(64) + projection(64, 128) + 3 * perBlock(128) + projection(128, 256) +
        5 * perBlock(256) + projection(256, 512) + 2 * perBlock(512);
      assert.equal(counts('resnet34_C').params - counts('plain34').params, imagenet);
    });
  });
});
