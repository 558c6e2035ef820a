import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../util/errors';
import {Rng} from '../util/rng';
import {loadTorchStateDict, parseTorchWeights} from './import_torch';
import {pretrainedInfo, resolveWeightsFile, type PretrainedWeights} from './pretrained';
import {requirePinnedChecksum, weightsMissing} from './pretrained_files';
import {buildModel, modelConfig} from './registry';
import {torchToTf, torchWeights} from './torch_names';

export interface PretrainedBuildOptions {
  /** Registry name of the weights, e.g. 'resnet18.tv_in1k'. */
  readonly pretrained: string;
  /** Seeds the new classifier. */
  readonly seed: number;
  readonly inputShape: readonly [number, number, number];
  /** Classes of the target task (the new classifier's outputs). */
  readonly numClasses: number;
  /** Where to look for the file (as `repro weights --dir`); default: $REPRO_WEIGHTS_DIR, data/weights/, torch.hub's cache. */
  readonly dir?: string;
  /** Registry entries to use instead of the pinned ones (tests with generated files). */
  readonly registry?: readonly PretrainedWeights[];
}

/** The classifier a fine-tune replaces: torchvision's `fc` (the ImageNet family with a linear head). */
const HEAD = 'fc';

/**
 * Transfer learning's starting point: `model` built for the target task (its input size and
 * classes), every pretrained tensor loaded except the classifier, which is new and initialised as
 * PyTorch's nn.Linear default, weight and bias U(−1/√fan_in, 1/√fan_in), drawn from `seed` (in
 * torch's [out, in] order; the generator is ours, so the numbers are not torch's). The file must
 * match its pinned checksum (read and hashed here, so a substituted file cannot enter a run whose
 * hash names the pinned weights).
 */
export function buildPretrainedModel(model: string, opts: PretrainedBuildOptions): tf.LayersModel {
  const info = pretrainedInfo(opts.pretrained, opts.registry);
  if (info.model !== model) {
    throw new ReproError(`model "${model}" cannot start from ${info.name}: those weights are for ${info.model}`,
      {expected: `model "${info.model}" with init.pretrained "${info.name}"`, fix: `set the run's model to "${info.model}", or pick the weights of ${model}`});
  }
  const config = modelConfig(model);
  if (config.family !== 'imagenet' || config.head.kind !== 'linear') {
    throw new ReproError(`model "${model}" cannot be fine-tuned from pretrained weights`,
      {expected: 'an ImageNet-family net with a linear head (resnet18 … resnet152, resnext50_32x4d)'});
  }
  if (opts.inputShape[2] !== 3) {
    throw new ReproError(`${info.name} needs RGB input, but the run's images have ${opts.inputShape[2]} channel(s)`,
      {expected: '3-channel data (CIFAR-10, Tiny-ImageNet, an image folder)', fix: 'train on an RGB data set'});
  }
  const found = resolveWeightsFile(info, opts);
  if (!found.present) throw weightsMissing(info, found.path);
  const bytes = readFileSync(found.path);
  requirePinnedChecksum(info, found.path, createHash('sha256').update(bytes).digest('hex'));
  const net = buildModel(model, {inputShape: opts.inputShape, numClasses: opts.numClasses, initialize: false});
  try {
    loadTorchStateDict(net, parseTorchWeights(bytes, found.path), found.path, {except: [HEAD]});
    initTorchLinear(net, HEAD, new Rng(opts.seed));
  } catch (err) {
    net.dispose();
    throw err;
  }
  return net;
}

/** nn.Linear's default init for layer `name`: kaiming_uniform_(a=√5) gives the weight bound 1/√fan_in; the bias has the same bound. */
function initTorchLinear(net: tf.LayersModel, name: string, rng: Rng): void {
  const all = torchWeights(net);
  const weight = all.find((x) => x.key === `${name}.weight`);
  const bias = all.find((x) => x.key === `${name}.bias`);
  if (!weight || !bias) throw new Error(`initTorchLinear: the model has no Linear layer "${name}" with a bias`);
  const bound = 1 / Math.sqrt(weight.torchShape[1]);
  for (const w of [weight, bias]) {
    const values = new Float32Array(w.torchShape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * bound;
    const t = tf.tensor(torchToTf(w, values), [...w.tfShape]);
    w.layer.weights[w.index].write(t);
    t.dispose();
  }
}
