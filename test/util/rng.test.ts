import {strict as assert} from 'node:assert';
import {Rng} from '../../src/util/rng';

describe('util/rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xs = Array.from({length: 5}, () => a.nextUint32());
    assert.deepEqual(Array.from({length: 5}, () => b.nextUint32()), xs);
    assert.notDeepEqual(Array.from({length: 5}, () => c.nextUint32()), xs);
  });

  it('restores exactly from a saved state', () => {
    const a = new Rng(7);
    a.next(); a.next();
    const saved = a.state;
    const expected = [a.next(), a.next(), a.next()];
    const b = new Rng(saved);
    assert.deepEqual([b.next(), b.next(), b.next()], expected);
  });

  it('draws uniform values in [0, 1) with a plausible mean', () => {
    const r = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
    }
    assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  });

  it('makes permutations that contain every index once', () => {
    const p = new Rng(3).permutation(1000);
    assert.deepEqual([...p].sort((x, y) => x - y), Array.from({length: 1000}, (_, i) => i));
  });
});
