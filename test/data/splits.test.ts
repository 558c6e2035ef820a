import {strict as assert} from 'node:assert';
import {splitTrainVal, stratifiedSubset, twoClassSubset} from '../../src/data/splits';
import type {ImageSet} from '../../src/data/types';

/** 50 one-pixel images whose pixel is their index; label = index mod 5. */
const SET: ImageSet = {
  images: Uint8Array.from({length: 50}, (_, i) => i), labels: Int32Array.from({length: 50}, (_, i) => i % 5),
  count: 50, height: 1, width: 1, channels: 1, classes: ['a', 'b', 'c', 'd', 'e'],
};

describe('data/splits', () => {
  it('splits train/val deterministically by seed, disjoint and complete (45k/5k style)', () => {
    const {train, val} = splitTrainVal(SET, 5, 0);
    assert.deepEqual([train.count, val.count], [45, 5]);
    assert.deepEqual([...train.images, ...val.images].sort((a, b) => a - b), [...SET.images]);
    for (let i = 0; i < val.count; i++) assert.equal(val.labels[i], val.images[i] % 5, 'labels travel with images');
    assert.deepEqual(splitTrainVal(SET, 5, 0).val.images, val.images);
    assert.notDeepEqual(splitTrainVal(SET, 5, 1).val.images, val.images);
    assert.throws(() => splitTrainVal(SET, 50, 0), /does not fit/);
  });

  it('takes a stratified subset of N per class', () => {
    const s = stratifiedSubset(SET, 3, 4);
    assert.equal(s.count, 15);
    const per = [0, 0, 0, 0, 0];
    for (const l of s.labels) per[l]++;
    assert.deepEqual(per, [3, 3, 3, 3, 3]);
    assert.throws(() => stratifiedSubset(SET, 11, 0), /class 0 \(a\) has only 10 images/);
  });

  it('makes a two-class subset relabelled 0/1 in the order given (seed 000)', () => {
    const s = twoClassSubset(SET, ['d', 1]);
    assert.deepEqual(s.classes, ['d', 'b']);
    assert.equal(s.count, 20);
    for (let i = 0; i < s.count; i++) assert.equal(s.labels[i], s.images[i] % 5 === 3 ? 0 : 1);
    assert.throws(() => twoClassSubset(SET, ['a', 'z']), /unknown class "z"/);
  });
});
