import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {withSyncReads} from '../engine/sync_reads';
import {REPO_ROOT} from '../runs/code_version';
import {loadTorchSafetensors} from './import_torch';
import {buildModel} from './registry';
import {readSafetensors} from './safetensors';

/** Debian's python3 (with python3-torch, python3-torchvision), never the pyenv one first on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
/** Input side of the comparison: small enough to be quick, large enough for every stage to be non-trivial. */
export const REFERENCE_SIZE = 64;
/** The models claim A7 names. */
export const REFERENCE_MODELS = ['resnet18', 'resnet50', 'resnext50_32x4d'] as const;
const SCRIPT = join(REPO_ROOT, 'scripts', 'export_torchvision.py');

/**
 * Runs scripts/export_torchvision.py once per script version and input size into a cache under
 * os.tmpdir(): random torchvision weights plus an input and torchvision's output, per model.
 * Returns the directory, or why it cannot (no torch/torchvision for /usr/bin/python3).
 */
export function torchvisionReferenceDir(size = REFERENCE_SIZE): {dir: string} | {why: string} {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import torch, torchvision'], {encoding: 'utf8'});
  if (probe.error || probe.status !== 0) {
    return {why: `${SYSTEM_PYTHON} cannot import torch/torchvision (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); ` +
      'install python3-torch python3-torchvision (npm run setup does when root)'};
  }
  const hash = createHash('sha256').update(readFileSync(SCRIPT)).update(String(size)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `resnet-repro-torchvision-${hash}`);
  if (existsSync(join(dir, 'resnext50_32x4d.io.safetensors'))) return {dir};
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, {recursive: true});
  const run = spawnSync(SYSTEM_PYTHON, [SCRIPT, tmp, String(size)], {encoding: 'utf8'});
  if (run.status !== 0) {
    rmSync(tmp, {recursive: true, force: true});
    throw new Error(`${SCRIPT} failed (exit ${run.status}): ${run.stderr}`);
  }
  rmSync(dir, {recursive: true, force: true});
  renameSync(tmp, dir);
  return {dir};
}

/** Max |ours − torchvision| of `name` imported from the reference's state dict, on the reference input (eval mode). */
export function torchvisionMaxAbsDiff(name: string, dir: string, size = REFERENCE_SIZE): number {
  return withSyncReads(() => maxAbsDiff(name, dir, size));
}

function maxAbsDiff(name: string, dir: string, size: number): number {
  const model = buildModel(name, {inputShape: [size, size, 3], initialize: false});
  try {
    loadTorchSafetensors(model, join(dir, `${name}.safetensors`));
    const ioFile = join(dir, `${name}.io.safetensors`);
    const io = readSafetensors(readFileSync(ioFile), ioFile);
    const input = io.find((t) => t.name === 'input');
    const output = io.find((t) => t.name === 'output');
    if (!input || !output) throw new Error(`${ioFile} lacks input/output`);
    return tf.tidy(() => {
      const x = tf.transpose(tf.tensor(input.data, [...input.shape]), [0, 2, 3, 1]); // NCHW → NHWC
      const y = model.predict(x) as tf.Tensor;
      if (y.shape.join() !== output.shape.join()) throw new Error(`${name}: output shape ${y.shape} ≠ torchvision's ${output.shape}`);
      return tf.max(tf.abs(tf.sub(y, tf.tensor(output.data, [...output.shape])))).dataSync()[0];
    });
  } finally {
    model.dispose();
  }
}
