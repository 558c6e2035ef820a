import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {loadTorchSafetensors} from '../../src/models/import_torch';
import {buildModel} from '../../src/models/registry';
import {readSafetensors} from '../../src/models/safetensors';

const PYTHON = '/usr/bin/python3';
const SIZE = 64;
const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'export_torchvision.py');

/**
 * Runs scripts/export_torchvision.py once per script version into a cache under os.tmpdir() and
 * returns its directory. The script needs Debian's python3-torch and python3-torchvision.
 */
function referenceDir(): {dir?: string; why?: string} {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], {encoding: 'utf8'});
  if (probe.error || probe.status !== 0) {
    return {why: `${PYTHON} cannot import torch/torchvision (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); ` +
      'install python3-torch python3-torchvision (npm run setup does when root)'};
  }
  const hash = createHash('sha256').update(readFileSync(SCRIPT)).update(String(SIZE)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `resnet-repro-torchvision-${hash}`);
  if (existsSync(join(dir, 'resnext50_32x4d.io.safetensors'))) return {dir};
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, {recursive: true});
  const run = spawnSync(PYTHON, [SCRIPT, tmp, String(SIZE)], {encoding: 'utf8'});
  if (run.status !== 0) {
    rmSync(tmp, {recursive: true, force: true});
    throw new Error(`${SCRIPT} failed (exit ${run.status}): ${run.stderr}`);
  }
  rmSync(dir, {recursive: true, force: true});
  renameSync(tmp, dir);
  return {dir};
}

describe(`models: forward equivalence with torchvision (A7; eval mode, ${SIZE}×${SIZE} input, cpu backend)`, function () {
  this.timeout(600_000);
  let dir = '';

  before(function () {
    const ref = referenceDir();
    if (ref.dir === undefined) {
      if (process.env.CI === 'true') throw new Error(`A7 cannot run in CI: ${ref.why}`);
      console.log(`      pending: ${ref.why}`);
      this.skip();
    }
    dir = ref.dir as string;
  });

  before(async () => { await tf.setBackend('cpu'); });

  for (const name of ['resnet18', 'resnet50', 'resnext50_32x4d']) {
    it(`${name} imported from a random torchvision state dict: max |Δ| ≤ 1e-4`, () => {
      const model = buildModel(name, {inputShape: [SIZE, SIZE, 3], initialize: false});
      loadTorchSafetensors(model, join(dir, `${name}.safetensors`));
      const ioFile = join(dir, `${name}.io.safetensors`);
      const io = readSafetensors(readFileSync(ioFile), ioFile);
      const input = io.find((t) => t.name === 'input');
      const output = io.find((t) => t.name === 'output');
      assert.ok(input && output, `${ioFile} lacks input/output`);
      const diff = tf.tidy(() => {
        const x = tf.transpose(tf.tensor(input.data, [...input.shape]), [0, 2, 3, 1]); // NCHW → NHWC
        const y = model.predict(x) as tf.Tensor;
        assert.deepEqual(y.shape, [...output.shape]);
        return tf.max(tf.abs(tf.sub(y, tf.tensor(output.data, [...output.shape])))).dataSync()[0];
      });
      model.dispose();
      assert.ok(diff <= 1e-4, `${name}: max abs difference ${diff}`);
    });
  }
});
