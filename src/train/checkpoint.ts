import * as tf from '@tensorflow/tfjs';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import {ReproError} from '../util/errors';
import {readSafetensors, writeSafetensors, type NamedTensor} from '../models/safetensors';
import type {EpochMetrics} from './metrics';
import type {GradientNorm} from './trainer';
import type {ScheduleState} from './schedule';

/**
 * A checkpoint is a directory `epoch-NNNN/` holding `state.json` and `tensors.safetensors`
 * (model weights including batch-norm statistics, and optimizer slots). It is written under a
 * temporary name and renamed into place, so an `epoch-*` directory is always complete; older
 * ones are deleted after the newer one exists. The data order and augmentation of epoch e are
 * drawn from an Rng seeded by (run seed, e), so the epoch number is the whole data-order state.
 */
export interface CheckpointState {
  readonly format: 1;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer steps taken. */
  readonly iteration: number;
  readonly history: readonly EpochMetrics[];
  readonly schedule: ScheduleState;
  readonly optimizerScalars: Record<string, number>;
  /** Model weight names in order (checked on load). */
  readonly weights: readonly string[];
  /** Gradient norms measured at initialisation (claim B5), carried so a resumed run still has them. */
  readonly gradientNorms?: readonly GradientNorm[];
}

export interface Checkpoint {
  readonly state: CheckpointState;
  /** `weight/<name>` and `optimizer/<slot>` tensors (caller disposes). */
  readonly tensors: Map<string, tf.Tensor>;
}

const DIR_PATTERN = /^epoch-(\d{4,})$/;

function epochDirs(root: string): {epoch: number; path: string}[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({m: DIR_PATTERN.exec(name), name}))
    .filter((e): e is {m: RegExpExecArray; name: string} => e.m !== null)
    .map((e) => ({epoch: Number(e.m[1]), path: join(root, e.name)}))
    .sort((a, b) => a.epoch - b.epoch);
}

export async function saveCheckpoint(root: string, state: CheckpointState, tensors: ReadonlyMap<string, tf.Tensor>): Promise<void> {
  // Read every tensor first (awaited: a GPU backend cannot read synchronously), then write.
  const named: NamedTensor[] = [];
  for (const [name, t] of tensors) named.push({name, shape: t.shape, data: await t.data() as Float32Array});
  mkdirSync(root, {recursive: true});
  const final = join(root, `epoch-${String(state.epoch).padStart(4, '0')}`);
  const tmp = join(root, `.tmp-epoch-${state.epoch}-${process.pid}`);
  rmSync(tmp, {recursive: true, force: true});
  mkdirSync(tmp);
  writeFileAtomic(join(tmp, 'tensors.safetensors'), writeSafetensors(named));
  writeJsonAtomic(join(tmp, 'state.json'), state);
  rmSync(final, {recursive: true, force: true});
  renameSync(tmp, final);
  for (const old of epochDirs(root)) if (old.epoch < state.epoch) rmSync(old.path, {recursive: true, force: true});
}

/**
 * The newest readable checkpoint, or undefined. A checkpoint that cannot be read (a disk error,
 * a hand edit) is reported and skipped in favour of an older one or a fresh start: never trusted.
 */
export function loadLatestCheckpoint(root: string, warn: (msg: string) => void = () => {}): Checkpoint | undefined {
  for (const {path} of epochDirs(root).reverse()) {
    try {
      const state = JSON.parse(readFileSync(join(path, 'state.json'), 'utf8')) as CheckpointState;
      if (state.format !== 1) throw new Error(`unknown checkpoint format ${String(state.format)}`);
      const tensors = new Map<string, tf.Tensor>();
      for (const t of readSafetensors(readFileSync(join(path, 'tensors.safetensors')), join(path, 'tensors.safetensors'))) {
        tensors.set(t.name, tf.tensor(t.data, t.shape as number[]));
      }
      return {state, tensors};
    } catch (err) {
      warn(`checkpoint ${path} is unreadable (${(err as Error).message}); ignoring it`);
    }
  }
  return undefined;
}

/**
 * Whether a checkpoint that parsed can resume this run: its epoch within the spec's, a history of
 * that many epochs, and a tensor of the model's own shape for every weight and optimizer slot.
 * Anything else is a ReproError naming the checkpoint and how to clear it, before any tensor is
 * written into the model (never an internal error, never a "done" result of the wrong length).
 */
export function checkCheckpointFits(ckpt: Checkpoint, dir: string, epochs: number,
  weights: readonly {readonly name: string; readonly shape: readonly number[]}[],
  slots: readonly {readonly name: string; readonly shape: readonly number[]}[]): void {
  const wrong = (what: string) => new ReproError(`checkpoint in ${dir} does not fit this run: ${what}`,
    {expected: 'a checkpoint written by an earlier attempt of this same run', fix: `delete ${dir} to train the run from the start`});
  const s = ckpt.state;
  if (!Number.isInteger(s.epoch) || s.epoch < 1 || s.epoch > epochs) throw wrong(`it is at epoch ${String(s.epoch)}, the spec has ${epochs} epochs`);
  if (!Array.isArray(s.history) || s.history.length !== s.epoch) {
    throw wrong(`its history has ${Array.isArray(s.history) ? s.history.length : 'no'} epochs for epoch ${s.epoch}`);
  }
  if (!Number.isInteger(s.iteration) || s.iteration < 0) throw wrong(`iteration ${String(s.iteration)} is not a count of steps`);
  if (!Array.isArray(s.weights) || s.weights.join('\n') !== weights.map((w) => w.name).join('\n')) {
    throw wrong('it was written for a different model (weight names differ)');
  }
  for (const w of [...weights.map((x) => ({...x, key: `weight/${x.name}`})), ...slots.map((x) => ({...x, key: `optimizer/${x.name}`}))]) {
    const t = ckpt.tensors.get(w.key);
    if (!t) throw wrong(`it has no tensor "${w.key}"`);
    if (t.shape.join(',') !== w.shape.join(',')) throw wrong(`"${w.key}" has shape [${t.shape}], the model needs [${w.shape}]`);
  }
}
