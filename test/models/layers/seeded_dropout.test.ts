import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../../../src/util/errors';
import {SeededDropout, setTrainingRandomContext} from '../../../src/models/layers/seeded_dropout';

describe('models/layers/seeded_dropout', () => {
  before(async () => { await tf.setBackend('cpu'); });
  afterEach(() => setTrainingRandomContext(undefined));

  const x = () => tf.ones([4, 64]);
  const run = (layer: SeededDropout) => Array.from((layer.apply(x(), {training: true}) as tf.Tensor).dataSync());

  it('draws the same mask for the same (step seed, layer) and others otherwise', () => {
    const a = new SeededDropout({name: 'layer1.0.dropout', rate: 0.5});
    const b = new SeededDropout({name: 'layer1.1.dropout', rate: 0.5});
    setTrainingRandomContext({stepSeed: 73});
    const first = run(a);
    const otherLayer = run(b);
    setTrainingRandomContext({stepSeed: 74});
    const nextStep = run(a);
    setTrainingRandomContext({stepSeed: 73});
    assert.deepEqual(run(a), first, 'the same step seed again (a resumed run): same mask');
    assert.notDeepEqual(nextStep, first);
    assert.notDeepEqual(otherLayer, first);
    // inverted dropout: kept units scaled by 1/(1 − rate), about half kept
    assert.ok(first.every((v) => v === 0 || Math.abs(v - 2) < 1e-6));
    const kept = first.filter((v) => v !== 0).length;
    assert.ok(kept > 64 && kept < 192, `kept ${kept} of 256`);
  });

  it('is the identity in inference mode', () => {
    const layer = new SeededDropout({name: 'd', rate: 0.5});
    assert.deepEqual(Array.from((layer.apply(x(), {training: false}) as tf.Tensor).dataSync()), Array(256).fill(1));
  });

  it('refuses to train without a training random context, naming the layer', () => {
    const layer = new SeededDropout({name: 'fc.2', rate: 0.2});
    assert.throws(() => layer.apply(x(), {training: true}),
      (err: unknown) => err instanceof ReproError && err.message.includes('"fc.2"') && err.message.includes('setTrainingRandomContext'));
  });
});
