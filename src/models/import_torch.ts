import {readFileSync} from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../util/errors';
import {isLegacyTorchSave, isZip, readPth} from './pth';
import {readSafetensors} from './safetensors';
import type {NamedTensor} from './safetensors';
import {torchToTf, torchWeights} from './torch_names';

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

export interface LoadOptions {
  /**
   * Module names whose weights are neither loaded nor required, e.g. ['fc'] to fine-tune pretrained
   * weights with a new classifier (transfer learning): the model keeps its own initialisation there
   * and the file's tensors under `fc.` are ignored.
   */
  readonly except?: readonly string[];
}

/**
 * Loads a torch state dict (keys and layouts as torchvision's) into a built model. Every weight of
 * the model must be present with torch's shape, and every tensor of the file must belong to the
 * model (`num_batches_tracked` is accepted and ignored): a mismatch is an error that names the
 * tensor, the expected shape and the file, and nothing is assigned.
 */
export function loadTorchStateDict(model: tf.LayersModel, tensors: readonly NamedTensor[], file: string,
  opts: LoadOptions = {}): void {
  const excluded = (key: string) => (opts.except ?? []).some((m) => key === m || key.startsWith(`${m}.`));
  const byKey = new Map(tensors.filter((t) => !excluded(t.name)).map((t) => [t.name, t]));
  tensors = [...byKey.values()];
  const weights = torchWeights(model).filter((w) => !excluded(w.key));
  const known = new Set(weights.map((w) => w.key));
  const fix = 'export the state dict of the same architecture (see `repro models` for the names)';
  const missing = weights.filter((w) => !byKey.has(w.key));
  if (missing.length > 0) {
    const list = missing.slice(0, 5).map((w) => `"${w.key}" ${shapeText(w.torchShape)}`).join(', ');
    throw new ReproError(`${file}: missing tensor${missing.length > 1 ? 's' : ''} ${list}` +
      (missing.length > 5 ? ` and ${missing.length - 5} more` : ''),
    {expected: `all ${weights.length} tensors of the model's state dict`, fix});
  }
  const extra = tensors.filter((t) => !known.has(t.name) && !t.name.endsWith('num_batches_tracked'));
  if (extra.length > 0) {
    const list = extra.slice(0, 5).map((t) => `"${t.name}" ${shapeText(t.shape)}`).join(', ');
    throw new ReproError(`${file}: unexpected tensor${extra.length > 1 ? 's' : ''} ${list}` +
      (extra.length > 5 ? ` and ${extra.length - 5} more` : ''),
    {expected: 'only the tensors of the model\'s state dict (and num_batches_tracked)', fix});
  }
  for (const w of weights) {
    const t = byKey.get(w.key) as NamedTensor;
    if (t.shape.length !== w.torchShape.length || t.shape.some((d, i) => d !== w.torchShape[i])) {
      throw new ReproError(`${file}: tensor "${w.key}" has shape ${shapeText(t.shape)}`,
        {expected: `shape ${shapeText(w.torchShape)} (torch layout)`, fix});
    }
  }
  for (const w of weights) {
    const t = byKey.get(w.key) as NamedTensor;
    const value = tf.tensor(torchToTf(w, t.data), w.tfShape as number[]);
    w.layer.weights[w.index].write(value);
    value.dispose();
  }
}

function readWeightsBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ReproError(`cannot read weights file ${file}: ${(err as Error).message}`,
      {expected: 'a safetensors or .pth file holding a torch state dict', fix: 'check the path'});
  }
}

/** Reads a safetensors file and loads it with loadTorchStateDict. */
export function loadTorchSafetensors(model: tf.LayersModel, file: string, opts: LoadOptions = {}): void {
  loadTorchStateDict(model, readSafetensors(readWeightsBytes(file), file), file, opts);
}

/**
 * A state dict from bytes, told apart by content, not name: a torch.save file (a zip, or a pickle
 * of the legacy format, which readPth refuses with its own message) or else safetensors.
 */
export function parseTorchWeights(bytes: Uint8Array, file: string): NamedTensor[] {
  return isZip(bytes) || isLegacyTorchSave(bytes) ? readPth(bytes, file) : readSafetensors(bytes, file);
}

/** Reads a state dict from a .pth or safetensors file and loads it with loadTorchStateDict. */
export function loadTorchWeightsFile(model: tf.LayersModel, file: string, opts: LoadOptions = {}): void {
  loadTorchStateDict(model, parseTorchWeights(readWeightsBytes(file), file), file, opts);
}
