import {strict as assert} from 'node:assert';
import {makeSynthetic} from '../../src/data/synthetic';

describe('data/synthetic', () => {
  it('is determined by its parameters (images and checksum)', () => {
    const a = makeSynthetic({trainCount: 20, testCount: 10, height: 8, width: 8, seed: 3});
    const b = makeSynthetic({trainCount: 20, testCount: 10, height: 8, width: 8, seed: 3});
    const c = makeSynthetic({trainCount: 20, testCount: 10, height: 8, width: 8, seed: 4});
    assert.deepEqual(a.train.images, b.train.images);
    assert.equal(a.checksum, b.checksum);
    assert.notEqual(a.checksum, c.checksum);
    assert.notDeepEqual(a.train.images, c.train.images);
  });

  it('any size, channels and classes', () => {
    const d = makeSynthetic({classes: 3, trainCount: 9, testCount: 3, height: 5, width: 7, channels: 1});
    assert.deepEqual([d.train.count, d.train.height, d.train.width, d.train.channels, d.train.classes.length], [9, 5, 7, 1, 3]);
    assert.equal(d.train.images.length, 9 * 5 * 7);
    assert.ok([...d.train.labels].every((l) => l >= 0 && l < 3));
  });

  it('is learnable: nearest class mean classifies the test set well above chance', () => {
    const d = makeSynthetic({classes: 4, trainCount: 200, testCount: 100, height: 12, width: 12, channels: 3, seed: 1});
    const size = 12 * 12 * 3;
    const means = Array.from({length: 4}, () => new Float64Array(size));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < d.train.count; i++) {
      const l = d.train.labels[i];
      counts[l]++;
      for (let k = 0; k < size; k++) means[l][k] += d.train.images[i * size + k];
    }
    means.forEach((m, l) => m.forEach((v, k) => { m[k] = v / counts[l]; }));
    let correct = 0;
    for (let i = 0; i < d.test.count; i++) {
      const dist = means.map((m) => m.reduce((s, v, k) => s + (v - d.test.images[i * size + k]) ** 2, 0));
      if (dist.indexOf(Math.min(...dist)) === d.test.labels[i]) correct++;
    }
    assert.ok(correct / d.test.count > 0.8, `accuracy ${correct / d.test.count}`);
  });
});
