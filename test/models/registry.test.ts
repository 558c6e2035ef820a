import {strict as assert} from 'node:assert';
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../../src/util/errors';
import {buildModel, modelConfig, modelNames} from '../../src/models/registry';
import type {ResNetConfig} from '../../src/models/config';

function throwsRepro(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ReproError, `expected a ReproError, got ${String(err)}`);
    for (const p of parts) assert.ok(err.message.includes(p), `message lacks "${p}":\n${err.message}`);
    return true;
  });
}

/** The weighted layers (convs and dense) of a model, in order. */
function weightedLayers(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => ['Conv2D', 'GroupedConv2D', 'Dense'].includes(l.getClassName())).map((l) => l.name);
}

describe('models/registry', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('resolves every listed name, and the lists hold the names the issue asks for', () => {
    const names = modelNames();
    for (const n of ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnext50_32x4d', 'vgg16', 'vgg19',
      'resnet50_v1', 'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110', 'resnet1202',
      'plain20', 'plain32', 'plain44', 'plain56', 'plain110', 'resnet7', 'plain7', 'resnet9', 'plain9']) {
      assert.ok(names.includes(n), n);
    }
    for (const n of names) modelConfig(n);
  });

  it('parses suffixes into the config', () => {
    const c = modelConfig('resnet32_C_drop0.3') as ResNetConfig;
    assert.equal(c.family, 'cifar');
    assert.equal(c.shortcut, 'C');
    assert.equal(c.dropout, 0.3);
    assert.deepEqual(c.stages.map((s) => s.blocks), [5, 5, 5]);
    const v1 = modelConfig('resnet50_v1') as ResNetConfig;
    assert.equal(v1.strideInBottleneck, '1x1');
    const tiny = modelConfig('resnet18_tiny') as ResNetConfig;
    assert.deepEqual([tiny.inputShape, tiny.numClasses, tiny.stem.kernel, tiny.stem.maxPool], [[64, 64, 3], 200, 3, false]);
  });

  it('an unknown name is an error that lists close names', () => {
    throwsRepro(() => modelConfig('resnet_50'), 'unknown model "resnet_50"', 'did you mean', 'resnet50');
    throwsRepro(() => modelConfig('vgg11'), 'unknown model "vgg11"', 'vgg16');
    throwsRepro(() => modelConfig('resnet20_D'), 'unknown suffix _D');
    throwsRepro(() => modelConfig('plain20_B'), 'plain net has no shortcuts');
    throwsRepro(() => modelConfig('resnet20_v1'), '_v1');
    throwsRepro(() => buildModel('resnet1x'), 'unknown model "resnet1x"');
  });

  it('a CIFAR depth that is not 6n+2 is an error naming the depth and the nearest valid ones', () => {
    throwsRepro(() => modelConfig('resnet21'), 'depth 21 is not 6n+2', 'resnet20', 'resnet26');
    throwsRepro(() => modelConfig('plain4'), 'depth 4 is not 6n+2');
  });

  it('the 7- and 9-layer nets have exactly the documented weighted layers', () => {
    const seven = buildModel('resnet7', {initialize: false});
    assert.deepEqual(weightedLayers(seven),
      ['conv1', 'layer1.0.conv1', 'layer1.0.conv2', 'layer2.0.conv1', 'layer2.0.conv2', 'conv2', 'linear']);
    const nine = buildModel('plain9', {initialize: false});
    assert.deepEqual(weightedLayers(nine), ['conv1', 'layer1.0.conv1', 'layer1.0.conv2', 'layer2.0.conv1', 'layer2.0.conv2',
      'layer3.0.conv1', 'layer3.0.conv2', 'conv2', 'linear']);
    // A residual addition is a layer with two inputs: an Add, or a block's fused BN + add + ReLU.
    const joins = (m: tf.LayersModel) => m.layers.filter((l) => l.inboundNodes.some((n) => n.inboundLayers.length === 2)).length;
    assert.equal(joins(nine), 0, 'a plain net has no additions');
    assert.equal(joins(seven), 2);
    seven.dispose();
    nine.dispose();
  });

  it('builds the same weights from the same seed, other weights from another seed', () => {
    const a = buildModel('resnet20', {seed: 5}), b = buildModel('resnet20', {seed: 5}), c = buildModel('resnet20', {seed: 6});
    const flat = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(flat(a), flat(b));
    assert.notDeepEqual(flat(a)[0], flat(c)[0]);
    // akamaster's kaiming_normal (fan_in) for conv1: std √(2/27)
    const w = flat(a)[0];
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    assert.ok(Math.abs(std - Math.sqrt(2 / 27)) < 0.05, `std ${std}`);
    for (const m of [a, b, c]) m.dispose();
  });

  it('builds identical weights in another process', () => {
    const sum = (m: tf.LayersModel) => m.getWeights().reduce((s, w) => s + Array.from(w.dataSync()).reduce((t: number, v: number, i: number) => t + v * ((i % 7) + 1), 0), 0);
    const here = buildModel('resnet7', {seed: 11});
    const registry = join(__dirname, '..', '..', 'src', 'models', 'registry.js');
    const script = `const {buildModel}=require(${JSON.stringify(registry)});` +
      `const m=buildModel('resnet7',{seed:11});` +
      `process.stdout.write(String(m.getWeights().reduce((s,w)=>s+Array.from(w.dataSync()).reduce((t,v,i)=>t+v*((i%7)+1),0),0)));`;
    const there = Number(execFileSync(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'ignore']}).toString());
    assert.equal(there, sum(here));
    here.dispose();
  });
});
