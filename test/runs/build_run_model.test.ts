import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {torchToTf, torchWeights} from '../../src/models/torch_names';
import {buildRunModel} from '../../src/runs/build_run_model';
import {ensureRun, type RunDeps} from '../../src/runs/ensure_run';
import {runHash} from '../../src/runs/hash';
import {prepareTrainData} from '../../src/runs/prepare_data';
import {parseRunSpec, type RunSpec} from '../../src/runs/spec';
import {RunStore} from '../../src/runs/store';
import {writeResnet18Checkpoint} from '../models/pretrained_fixture';

/** One epoch of fine-tuning ResNet-18 on 16 synthetic 16×16 images of 3 classes (two steps; quick on the pure-JS backend). */
const SPEC: RunSpec = {
  experiment: 'T', name: 'finetune', model: 'resnet18', init: {pretrained: 'resnet18.tv_in1k'},
  data: {name: 'synthetic', synthetic: {count: 16, testCount: 6, size: 16, channels: 3, classes: 3}},
  augment: {normalize: 'imagenet', hflip: true},
  optimizer: {type: 'sgd', lr: 0.001, momentum: 0.9, weightDecay: 0}, schedule: {type: 'constant'},
  loss: 'cross-entropy', epochs: 1, batchSize: 8, seed: 3,
};

describe('runs/build_run_model: a 1-epoch fine-tune from pretrained weights', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'repro-finetune-run-'));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('RunSpec.init: a registered name parses, an unknown one names the field; init is part of the run hash', () => {
    assert.deepEqual(parseRunSpec(JSON.parse(JSON.stringify(SPEC)), 's.json').init, {pretrained: 'resnet18.tv_in1k'});
    assert.throws(() => parseRunSpec({...SPEC, init: {pretrained: 'resnet18.a1_in1k'}}, 's.json'), /"init\.pretrained"[\s\S]*"resnet18\.tv_in1k"/);
    assert.throws(() => parseRunSpec({...SPEC, init: {weights: 'x'}}, 's.json'), /unknown field "init\.weights"/);
    const {init: _i, ...scratch} = SPEC;
    assert.notEqual(runHash(SPEC, 'c', 'd'), runHash(scratch, 'c', 'd'));
  });

  it('loads the file\'s conv and BN tensors before training, gives fc the run\'s 3 classes, then trains', async () => {
    const ckpt = writeResnet18Checkpoint(dir);
    const seen: {conv1?: number[]; conv1File?: number[]; bnVar?: number[]; fcShape?: number[]} = {};
    const deps: RunDeps = {
      prepareData: prepareTrainData,
      buildModel: (spec, data) => {
        const model = buildRunModel(spec, data, {dir, registry: [ckpt.entry]});
        const conv1 = torchWeights(model).find((w) => w.key === 'conv1.weight')!;
        seen.conv1 = Array.from(conv1.layer.weights[conv1.index].read().dataSync());
        seen.conv1File = Array.from(torchToTf(conv1, ckpt.tensors.get('conv1.weight')!.data)); // OIHW → HWIO
        seen.bnVar = Array.from(model.getLayer('layer3.1.bn2').getWeights()[3].dataSync());
        seen.fcShape = model.getLayer('fc').getWeights()[0].shape;
        return model;
      },
      backend: {name: 'cpu', reason: 'test', threads: 1},
      progress: {batch() {}, epoch() {}},
    };
    const r = await ensureRun(SPEC, deps, new RunStore(join(dir, 'store')));
    assert.equal(seen.conv1?.length, 64 * 3 * 7 * 7);
    assert.deepEqual(seen.conv1, seen.conv1File);
    assert.deepEqual(seen.bnVar, Array.from(ckpt.tensors.get('layer3.1.bn2.running_var')!.data));
    assert.deepEqual(seen.fcShape, [512, 3]);
    assert.equal(r.result.status, 'done');
    assert.equal(r.result.history.length, 1);
    assert.equal(r.result.history[0].iteration, 2);
    assert.ok(Number.isFinite(r.result.final!.trainLoss));
  });
});
