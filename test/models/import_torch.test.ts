import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../../src/util/errors';
import {loadTorchSafetensors, loadTorchStateDict} from '../../src/models/import_torch';
import {buildModel} from '../../src/models/registry';
import {readSafetensors, writeSafetensors} from '../../src/models/safetensors';
import type {NamedTensor} from '../../src/models/safetensors';
import {exportTorchStateDict, torchToTf, torchWeights} from '../../src/models/torch_names';

function throwsRepro(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ReproError, `expected a ReproError, got ${String(err)}`);
    for (const p of parts) assert.ok(err.message.includes(p), `message lacks "${p}":\n${err.message}`);
    return true;
  });
}

describe('models/import_torch', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'repro-import-'));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('names weights as akamaster/torchvision state-dict keys', () => {
    const cifar = buildModel('resnet20_B', {initialize: false});
    const keys = torchWeights(cifar).map((w) => w.key);
    for (const k of ['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var',
      'layer1.0.conv1.weight', 'layer2.0.shortcut.0.weight', 'layer2.0.shortcut.1.running_var', 'linear.weight', 'linear.bias']) {
      assert.ok(keys.includes(k), k);
    }
    cifar.dispose();
    const vgg = buildModel('vgg16', {initialize: false});
    const vggKeys = torchWeights(vgg).map((w) => w.key);
    assert.deepEqual(vggKeys.slice(0, 2), ['features.0.weight', 'features.0.bias']);
    assert.deepEqual(vggKeys.slice(-2), ['classifier.6.weight', 'classifier.6.bias']);
    assert.ok(vggKeys.includes('features.28.weight') && vggKeys.includes('classifier.3.weight'));
    vgg.dispose();
  });

  it('transposes OIHW → HWIO and [out, in] → [in, out]', () => {
    const model = buildModel('resnet7', {initialize: false});
    const [conv] = torchWeights(model).filter((w) => w.key === 'conv1.weight');
    assert.deepEqual(conv.torchShape, [16, 3, 3, 3]);
    const torch = new Float32Array(16 * 27).map((_, idx) => idx);
    const hwio = torchToTf(conv, torch);
    // element [o, i, h, w] of torch = o·27 + i·9 + h·3 + w must land at [h, w, i, o]
    for (const [o, i, h, w] of [[0, 0, 0, 0], [5, 2, 1, 0], [15, 1, 2, 2]]) {
      assert.equal(hwio[((h * 3 + w) * 3 + i) * 16 + o], o * 27 + i * 9 + h * 3 + w);
    }
    const [fc] = torchWeights(model).filter((w) => w.key === 'linear.weight');
    assert.deepEqual(fc.torchShape, [10, 64]);
    const dense = torchToTf(fc, new Float32Array(640).map((_, idx) => idx));
    assert.equal(dense[3 * 10 + 7], 7 * 64 + 3);
    model.dispose();
  });

  it('round-trips a state dict through a safetensors file (num_batches_tracked ignored)', () => {
    const a = buildModel('resnet20_B', {seed: 1});
    // Move BN running statistics away from their defaults so their import is exercised.
    const state = exportTorchStateDict(a).map((t): NamedTensor =>
      t.name.endsWith('running_mean') ? {...t, data: t.data.map((_, i) => 0.01 * i)} : t);
    state.push({name: 'bn1.num_batches_tracked', shape: [], data: new Float32Array([7]), dtype: 'I64'});
    const file = join(dir, 'resnet20_B.safetensors');
    writeFileSync(file, writeSafetensors(state, {format: 'pt'}));
    const b = buildModel('resnet20_B', {seed: 2});
    loadTorchSafetensors(b, file);
    const exported = exportTorchStateDict(b);
    for (const t of exported) {
      const orig = state.find((s) => s.name === t.name) as NamedTensor;
      assert.deepEqual(Array.from(t.data), Array.from(orig.data), t.name);
    }
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 9);
    loadTorchStateDict(a, readSafetensors(new Uint8Array(writeSafetensors(state)), 'memory'), 'memory');
    const diff = tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0];
    assert.equal(diff, 0);
    a.dispose();
    b.dispose();
  });

  it('loads all but the excepted modules (a new classifier for transfer learning)', () => {
    const source = buildModel('resnet7', {seed: 1});
    const state = exportTorchStateDict(source);
    const target = buildModel('resnet7', {seed: 2, numClasses: 3});
    const before = Array.from(target.getLayer('linear').getWeights()[0].dataSync());
    throwsRepro(() => loadTorchStateDict(target, state, 'pretrained.safetensors'), 'tensor "linear.weight" has shape [10, 64]');
    loadTorchStateDict(target, state, 'pretrained.safetensors', {except: ['linear']});
    assert.deepEqual(Array.from(target.getLayer('linear').getWeights()[0].dataSync()), before);
    assert.deepEqual(Array.from(target.getLayer('conv1').getWeights()[0].dataSync()),
      Array.from(source.getLayer('conv1').getWeights()[0].dataSync()));
    source.dispose();
    target.dispose();
  });

  it('serialises to JSON and back (custom layers registered)', () => {
    const model = buildModel('resnet9_B_drop0.5', {initialize: false});
    const json = model.toJSON(null, false) as Parameters<typeof tf.models.modelFromJSON>[0];
    return tf.models.modelFromJSON(json).then((copy) => {
      assert.deepEqual(copy.layers.map((l) => l.getClassName()), model.layers.map((l) => l.getClassName()));
      assert.deepEqual(torchWeights(copy).map((w) => w.key), torchWeights(model).map((w) => w.key));
      copy.dispose();
      model.dispose();
    });
  });

  describe('bad state dicts are errors that name the tensor, the expected shape and the file', () => {
    let state: NamedTensor[];
    let model: tf.LayersModel;
    before(() => {
      model = buildModel('resnet7', {initialize: false});
      state = exportTorchStateDict(model);
    });
    after(() => model.dispose());

    it('a missing tensor', () => {
      throwsRepro(() => loadTorchStateDict(model, state.filter((t) => t.name !== 'layer2.0.bn1.running_var'), 'w.safetensors'),
        'w.safetensors', 'missing tensor "layer2.0.bn1.running_var" [32]');
    });
    it('an extra tensor', () => {
      const extra = [...state, {name: 'layer3.0.conv1.weight', shape: [64, 32, 3, 3], data: new Float32Array(64 * 32 * 9)}];
      throwsRepro(() => loadTorchStateDict(model, extra, 'w.safetensors'), 'w.safetensors', 'unexpected tensor "layer3.0.conv1.weight"');
    });
    it('a wrongly shaped tensor', () => {
      const wrong = state.map((t) => (t.name === 'linear.weight' ? {...t, shape: [64, 10]} : t));
      throwsRepro(() => loadTorchStateDict(model, wrong, 'w.safetensors'),
        'w.safetensors', 'tensor "linear.weight" has shape [64, 10]', 'expected: shape [10, 64]');
    });
    it('a truncated file', () => {
      const file = join(dir, 'truncated.safetensors');
      writeFileSync(file, writeSafetensors(state).subarray(0, 1000));
      throwsRepro(() => loadTorchSafetensors(model, file), file, 'not a valid safetensors file');
    });
    it('a file that does not exist', () => {
      throwsRepro(() => loadTorchSafetensors(model, join(dir, 'nope.safetensors')), 'nope.safetensors');
    });
  });
});
