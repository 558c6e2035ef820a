import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {REFERENCE_MODELS, REFERENCE_SIZE, torchvisionMaxAbsDiff, torchvisionReferenceDir} from '../../src/models/torchvision_reference';

const SIZE = REFERENCE_SIZE;

describe(`models: forward equivalence with torchvision (A7; eval mode, ${SIZE}×${SIZE} input, cpu backend)`, function () {
  this.timeout(600_000);
  let dir = '';

  before(function () {
    const ref = torchvisionReferenceDir(SIZE);
    if (!('dir' in ref)) {
      if (process.env.CI === 'true') throw new Error(`A7 cannot run in CI: ${ref.why}`);
      console.log(`      pending: ${ref.why}`);
      this.skip();
    }
    dir = ref.dir;
  });

  before(async () => { await tf.setBackend('cpu'); });

  for (const name of REFERENCE_MODELS) {
    it(`${name} imported from a random torchvision state dict: max |Δ| ≤ 1e-4`, () => {
      const diff = torchvisionMaxAbsDiff(name, dir, SIZE);
      assert.ok(diff <= 1e-4, `${name}: max abs difference ${diff}`);
    });
  }
});
