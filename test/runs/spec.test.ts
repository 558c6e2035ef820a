import {strict as assert} from 'node:assert';
import {parseRunSpec} from '../../src/runs/spec';
import {runHash} from '../../src/runs/hash';
import {ReproError} from '../../src/util/errors';
import {toySpec} from '../train/fixtures';

describe('runs/spec', () => {
  it('accepts a valid spec', () => {
    assert.deepEqual(parseRunSpec(JSON.parse(JSON.stringify(toySpec())), 'x.json'), toySpec());
  });

  it('rejects an unknown field, naming the file and the field', () => {
    const bad = {...toySpec(), optimizr: {}};
    assert.throws(() => parseRunSpec(bad, 'spec.json'),
      (e: unknown) => e instanceof ReproError && /spec\.json: unknown field "optimizr"/.test(e.message));
    const nested = {...toySpec(), optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: true}};
    assert.throws(() => parseRunSpec(nested, 'spec.json'), /unknown field "optimizer.nesterov"/);
  });

  it('rejects a wrong type or value, naming the field and what was expected', () => {
    assert.throws(() => parseRunSpec({...toySpec(), epochs: 'ten'}, 'spec.json'), /"epochs".*\n.*expected: an integer/);
    assert.throws(() => parseRunSpec({...toySpec(), loss: 'mse'}, 'spec.json'), /"loss"[\s\S]*"cross-entropy", "nll"/);
    assert.throws(() => parseRunSpec({...toySpec(), optimizer: {type: 'rmsprop', lr: 1}}, 'spec.json'), /optimizer.type/);
    const {seed: _s, ...noSeed} = toySpec();
    assert.throws(() => parseRunSpec(noSeed, 'spec.json'), /missing field "seed"/);
  });

  it('hashes the same spec the same way whatever the key order, and differently when anything changes', () => {
    const a = toySpec();
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(a).reverse())));
    assert.equal(runHash(reordered, 'c1', 'd1'), runHash(a, 'c1', 'd1'));
    assert.notEqual(runHash(a, 'c2', 'd1'), runHash(a, 'c1', 'd1'));
    assert.notEqual(runHash(a, 'c1', 'd2'), runHash(a, 'c1', 'd1'));
    assert.notEqual(runHash(toySpec({seed: 9}), 'c1', 'd1'), runHash(a, 'c1', 'd1'));
  });
});
