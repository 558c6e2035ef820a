import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type {ModelConfig} from '../../src/models/config';
import {buildFromConfig} from '../../src/models/build';
import {loadTorchSafetensors} from '../../src/models/import_torch';
import {buildModel} from '../../src/models/registry';
import {readSafetensors} from '../../src/models/safetensors';
import {CPU_NATIVE, requireNative} from '../engine/native_available';
import type {NamedTensor} from '../../src/models/safetensors';
import {tfToTorch, torchWeights} from '../../src/models/torch_names';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = join(__dirname, '..', '..', '..', 'scripts');
const SCRIPT = join(SCRIPTS, 'export_torch_variants.py');

/** The two cases that are configs, not registered names; the same nets as in the Python script. */
const CONFIGS: Readonly<Record<string, ModelConfig>> = {
  small_vgg: {family: 'vgg', features: [8, 'M', 8, 'M', 16, 'M', 16, 'M', 16, 'M'], hidden: 32, dropout: 0.5,
    numClasses: 10, inputShape: [224, 224, 3]},
  small_resnext: {family: 'imagenet', block: 'bottleneck', residual: true, shortcut: 'B',
    stages: [64, 128, 256, 512].map((filters, i) => ({blocks: 1, filters, stride: i === 0 ? 1 : 2} as const)),
    stem: {filters: 64, kernel: 7, stride: 2, maxPool: true}, groups: 4, widthPerGroup: 8,
    head: {kind: 'linear'}, numClasses: 10, inputShape: [32, 32, 3]},
};

/** Eval-mode cases (the registered name, or a key of CONFIGS) and what each exercises. */
const EVAL_CASES: ReadonlyArray<[string, string]> = [
  ['resnet20', 'CIFAR, option A (akamaster\'s zero-padding shortcut)'],
  ['resnet20_B', 'CIFAR, option B (shortcut.0/.1 at dimension changes)'],
  ['resnet20_C', 'CIFAR, option C (projection on every block)'],
  ['plain20', 'CIFAR plain twin'],
  ['resnet7', 'seed 001\'s 7-layer net (conv2/bn2 3×3/2 after two blocks)'],
  ['plain9', 'seed 001\'s 9-layer plain net'],
  ['resnet50_v1', 'the paper\'s v1 bottleneck (stride in the first 1×1)'],
  ['resnet18_tiny', 'Tiny-ImageNet stem (3×3/1, no max-pool), 200 classes'],
  ['resnet18_seqhead', 'seed 000\'s sequential head (fc.0, fc.3, LogSoftmax)'],
  ['small_vgg', 'VGG layout: channel-major flatten into classifier.0'],
  ['small_resnext', 'grouped bottleneck'],
];

/** Runs the export script once per version of it (and of the writer it imports) into os.tmpdir(). */
function referenceDir(): {dir?: string; why?: string} {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], {encoding: 'utf8'});
  if (probe.error || probe.status !== 0) {
    return {why: `${PYTHON} cannot import torch/torchvision (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); ` +
      'install python3-torch python3-torchvision (npm run setup does when root)'};
  }
  const hash = createHash('sha256').update(readFileSync(SCRIPT))
    .update(readFileSync(join(SCRIPTS, 'export_torchvision.py'))).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `resnet-repro-torch-variants-${hash}`);
  if (existsSync(join(dir, 'DONE'))) return {dir};
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, {recursive: true});
  const run = spawnSync(PYTHON, [SCRIPT, tmp], {encoding: 'utf8'});
  if (run.status !== 0) {
    rmSync(tmp, {recursive: true, force: true});
    throw new Error(`${SCRIPT} failed (exit ${run.status}): ${run.stderr}`);
  }
  spawnSync('touch', [join(tmp, 'DONE')]);
  rmSync(dir, {recursive: true, force: true});
  renameSync(tmp, dir);
  return {dir};
}

function loadCase(dir: string, name: string): {model: tf.LayersModel; io: Map<string, NamedTensor>} {
  const ioFile = join(dir, `${name}.io.safetensors`);
  const io = new Map(readSafetensors(readFileSync(ioFile), ioFile).map((t) => [t.name, t]));
  const input = io.get('input') as NamedTensor;
  const config = CONFIGS[name];
  const model = config !== undefined ? buildFromConfig(config)
    : buildModel(name, {inputShape: [input.shape[2], input.shape[3], 3], initialize: false});
  loadTorchSafetensors(model, join(dir, `${name}.safetensors`));
  return {model, io};
}

const nhwc = (t: NamedTensor) => tf.transpose(tf.tensor(t.data, [...t.shape]), [0, 2, 3, 1]);
const nchwTensor = (t: NamedTensor) => tf.tensor(t.data, [...t.shape]);
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('models: the variants against torch references (eval and training mode, cpu backend; small_resnext training also on cpu-native)', function () {
  this.timeout(600_000);
  let dir = '';

  before(function () {
    const ref = referenceDir();
    if (ref.dir === undefined) {
      if (process.env.CI === 'true') throw new Error(`the torch references cannot be made in CI: ${ref.why}`);
      console.log(`      pending: ${ref.why}`);
      this.skip();
    }
    dir = ref.dir as string;
  });

  before(async () => { await tf.setBackend('cpu'); });

  for (const [name, what] of EVAL_CASES) {
    it(`${name} (${what}): eval-mode max |Δ| ≤ 1e-4`, () => {
      const {model, io} = loadCase(dir, name);
      const output = io.get('output') as NamedTensor;
      const diff = tf.tidy(() => {
        const y = model.predict(nhwc(io.get('input') as NamedTensor)) as tf.Tensor;
        assert.deepEqual(y.shape, [...output.shape]);
        return maxAbsDiff(y, nchwTensor(output));
      });
      model.dispose();
      assert.ok(diff <= 1e-4, `${name}: max abs difference ${diff}`);
    });
  }

  // Training mode: the batch-statistics forward, every parameter's gradient of sum(output · w), and the
  // running statistics after one step (momentum 0.1, unbiased variance). Gradients are compared per
  // tensor, relative to the tensor's largest value, within 1e-2: typically they agree to ~5e-6, but a
  // pre-activation within float32 rounding of a ReLU's kink (or a max-pool tie) legitimately routes one
  // element's gradient differently, and that shifts the upstream tensors by up to ~5e-3 (seen on
  // small_resnext). A real mistake (layout, a missing term, a wrong BN formula) is off by O(1).
  // small_resnext also on cpu-native: its grouped 3×3 is there one native primitive per direction.
  for (const [name, backend] of [['resnet20', 'cpu'], ['small_resnext', 'cpu'], ['small_resnext', CPU_NATIVE]]) {
    it(`${name}: training-mode output, every parameter gradient and the updated BN running statistics match torch (${backend})`, async function () {
      if (backend === CPU_NATIVE) requireNative(this);
      await tf.setBackend(backend);
      const {model, io} = loadCase(dir, name);
      const get = (k: string) => {
        const t = io.get(k);
        assert.ok(t, `${name}.io.safetensors lacks "${k}"`);
        return t;
      };
      const weights = torchWeights(model);
      const params = weights.filter((w) => w.kind === 'parameter');
      const variables = params.map((p) => p.layer.weights[p.index].read() as tf.Variable);
      const x = nhwc(get('train_input'));
      const w = nchwTensor(get('train_w'));
      let y: tf.Tensor | undefined;
      const {value, grads} = tf.variableGrads(() => {
        y = tf.keep(model.apply(x, {training: true}) as tf.Tensor);
        return tf.sum(tf.mul(y, w)) as tf.Scalar;
      }, variables);
      const outDiff = maxAbsDiff(y as tf.Tensor, nchwTensor(get('train_output')));
      assert.ok(outDiff <= 1e-4, `${name}: training-mode output differs by ${outDiff}`);
      params.forEach((p, i) => {
        const ours = tfToTorch(p, Float32Array.from(grads[variables[i].name].dataSync()));
        const ref = get(`grad.${p.key}`).data;
        let diff = 0, scale = 0;
        for (let j = 0; j < ref.length; j++) {
          diff = Math.max(diff, Math.abs(ours[j] - ref[j]));
          scale = Math.max(scale, Math.abs(ref[j]));
        }
        assert.ok(diff <= 1e-2 * scale + 1e-6, `${name}: gradient of ${p.key} differs by ${diff} (max |grad| ${scale})`);
      });
      for (const b of weights.filter((wt) => wt.kind === 'buffer')) {
        const ours = b.layer.weights[b.index].read().dataSync();
        const ref = get(`after.${b.key}`).data;
        for (let j = 0; j < ref.length; j++) {
          assert.ok(Math.abs(ours[j] - ref[j]) <= 1e-4 * Math.max(1, Math.abs(ref[j])),
            `${name}: ${b.key}[${j}] after one step is ${ours[j]}, torch ${ref[j]}`);
        }
      }
      tf.dispose([x, w, y as tf.Tensor, value, ...Object.values(grads)]);
      model.dispose();
      await tf.setBackend('cpu');
    });
  }
});
