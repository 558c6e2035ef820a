import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../../util/errors';
import {dropout} from '../../engine/ops/dropout';

/**
 * Dropout whose masks are reproducible and resumable.
 *
 * Why not tfjs-layers' Dropout: with a fixed `seed` it draws the SAME mask at every step; without
 * one its masks come from an unseeded generator and a run cannot be repeated or resumed.
 *
 * Mechanism: a module-level "training random context" holding a per-step seed that the trainer
 * sets before each training step (`setTrainingRandomContext({stepSeed})`; the trainer's
 * `setStepSeed` hook derives that seed from the run seed and the iteration). Each SeededDropout
 * layer derives its mask seed from (step seed, layer name) by a 32-bit FNV-1a hash, so masks differ
 * between steps and layers, are identical across processes, and a run resumed at step s draws
 * exactly the masks it would have drawn. Calling the same layer twice in one step (the zoo never
 * does) repeats its mask.
 * Training mode without a context is an error rather than a silent irreproducible run.
 * Inference mode is the identity. Masks are inverted dropout as in torch: kept units × 1/(1 − rate),
 * drawn by the engine's counter-based dropout op (src/engine/ops/dropout.ts: native on cpu-native,
 * the same mask on every backend and thread count).
 */
export interface TrainingRandomContext {
  /** A seed that differs per training step (and per run). */
  readonly stepSeed: number;
}

let context: TrainingRandomContext | undefined;

/** Sets (or with `undefined`, clears) the step seed from which every dropout mask is derived. */
export function setTrainingRandomContext(ctx: TrainingRandomContext | undefined): void {
  context = ctx;
}

export function getTrainingRandomContext(): TrainingRandomContext | undefined {
  return context;
}

/** The trainer hook (`TrainHooks.setStepSeed`) that feeds this context. */
export function setDropoutStepSeed(stepSeed: number): void {
  context = {stepSeed};
}

/** 32-bit FNV-1a over the text `stepSeed:name`. */
export function dropoutMaskSeed(ctx: TrainingRandomContext, layerName: string): number {
  const text = `${ctx.stepSeed}:${layerName}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface SeededDropoutArgs {
  name: string;
  rate: number;
}

export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;

  constructor(args: SeededDropoutArgs) {
    super({name: args.name});
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new ReproError(`dropout layer "${args.name}": rate ${args.rate} is out of range`,
        {expected: 'a rate in [0, 1)'});
    }
    this.rate = args.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: {training?: boolean}): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    if (context === undefined) {
      throw new ReproError(`dropout layer "${this.name}" ran in training mode without a training random context`,
        {expected: 'setTrainingRandomContext({stepSeed}) (or setDropoutStepSeed) called before each training step',
          fix: 'call setTrainingRandomContext from src/models/layers/seeded_dropout.ts in the training loop'});
    }
    return dropout(x, {rate: this.rate, seed: dropoutMaskSeed(context, this.name)});
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), rate: this.rate};
  }
}
tf.serialization.registerClass(SeededDropout);
