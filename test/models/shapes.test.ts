import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {buildModel} from '../../src/models/registry';

describe('models/build: shapes', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('A5: conv 7×7/2 pad 3 then max-pool 3×3/2 pad 1 maps 300×300 → 150×150 → 75×75', () => {
    const model = buildModel('resnet18', {inputShape: [300, 300, 3], initialize: false});
    const rule = (n: number, f: number, p: number, s: number) => Math.floor((n + 2 * p - f) / s) + 1;
    assert.equal(rule(300, 7, 3, 2), 150);
    assert.equal(rule(150, 3, 1, 2), 75);
    assert.deepEqual(model.getLayer('conv1').outputShape, [null, 150, 150, 64]);
    assert.deepEqual(model.getLayer('maxpool').outputShape, [null, 75, 75, 64]);
    assert.deepEqual(model.getLayer('layer4.1.bn2').outputShape, [null, 10, 10, 512]);
    model.dispose();
  });

  it('the CIFAR nets end at 8×8×64 and classify into 10', () => {
    for (const name of ['resnet20', 'plain20', 'resnet20_B', 'resnet7', 'resnet9']) {
      const model = buildModel(name);
      assert.deepEqual(model.layers[model.layers.length - 3].outputShape, [null, 8, 8, 64], name);
      const y = model.predict(tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3)) as tf.Tensor;
      assert.deepEqual(y.shape, [2, 10]);
      assert.ok(Number.isFinite(tf.sum(y).dataSync()[0]));
      model.dispose();
    }
  });

  it('the Tiny-ImageNet ResNet-18 takes 64×64 and ends at 8×8×512 with 200 classes', () => {
    const model = buildModel('resnet18_tiny_drop0.5', {initialize: false});
    assert.deepEqual(model.getLayer('layer4.1.bn2').outputShape, [null, 8, 8, 512]);
    assert.deepEqual(model.outputs[0].shape, [null, 200]);
    assert.ok(model.layers.some((l) => l.name === 'layer1.0.dropout'));
    model.dispose();
  });

  it('the bottleneck stride sits in the 3×3 conv (v1.5) or in the first 1×1 (v1)', () => {
    const v15 = buildModel('resnet50', {initialize: false, inputShape: [64, 64, 3]});
    const v1 = buildModel('resnet50_v1', {initialize: false, inputShape: [64, 64, 3]});
    assert.deepEqual(v15.getLayer('layer2.0.conv1').outputShape, [null, 16, 16, 128]);
    assert.deepEqual(v15.getLayer('layer2.0.conv2').outputShape, [null, 8, 8, 128]);
    assert.deepEqual(v1.getLayer('layer2.0.conv1').outputShape, [null, 8, 8, 128]);
    v15.dispose();
    v1.dispose();
  });
});
