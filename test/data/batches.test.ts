import {strict as assert} from 'node:assert';
import {EpochIterator} from '../../src/data/batches';

function collect(it: EpochIterator, n: number): number[][] {
  return Array.from({length: n}, () => [...it.next().indices]);
}

describe('data/batches', () => {
  it('each epoch is a permutation in batches; the last partial batch is kept or dropped', () => {
    const keep = new EpochIterator(10, 4, {seed: 1});
    assert.equal(keep.batchesPerEpoch, 3);
    const epoch = collect(keep, 3);
    assert.deepEqual(epoch.map((b) => b.length), [4, 4, 2]);
    assert.deepEqual(epoch.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const next = collect(keep, 3).flat();
    assert.notDeepEqual(next, epoch.flat(), 'a new permutation each epoch');
    const drop = new EpochIterator(10, 4, {seed: 1}, 'drop');
    assert.deepEqual(collect(drop, 3).map((b) => b.length), [4, 4, 4]);
    assert.throws(() => new EpochIterator(3, 4, {seed: 1}, 'drop'), /every batch would be dropped/);
  });

  it('resumes from a saved position with exactly the same batches', () => {
    const a = new EpochIterator(23, 5, {seed: 7});
    collect(a, 7); // into the second epoch
    const saved = a.position;
    assert.deepEqual([saved.epoch, saved.batchIndex], [1, 2]);
    const rest = collect(a, 9);
    const b = new EpochIterator(23, 5, JSON.parse(JSON.stringify(saved)));
    assert.deepEqual(collect(b, 9), rest);
  });

  it('epoch() yields the rest of the current epoch', () => {
    const it = new EpochIterator(10, 3, {seed: 2});
    it.next();
    assert.deepEqual([...it.epoch()].map((b) => b.batchIndex), [1, 2, 3]);
    assert.deepEqual([...it.epoch()].map((b) => b.epoch), [1, 1, 1, 1]);
  });
});
