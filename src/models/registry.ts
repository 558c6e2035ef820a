import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../util/errors';
import {buildFromConfig} from './build';
import type {CnnConfig, ModelConfig, ResNetConfig, Shortcut, Stage, VggConfig} from './config';
import {isCnnConfig, isVggConfig} from './config';
import {initializeWeights} from './init';

/**
 * Model names → configs. Names:
 *
 *   ImageNet family (torchvision's names and layout, 224×224×3, 1000 classes, option B shortcuts):
 *     resnet18, resnet34 (BasicBlock), resnet50, resnet101, resnet152 (Bottleneck "v1.5": stride in
 *     the 3×3 conv, as torchvision), resnext50_32x4d, vgg16, vgg19.
 *   CIFAR family (akamaster's layout, 32×32×3, 10 classes, option A shortcuts):
 *     resnet<d> and plain<d> for any depth d = 6n+2 (20, 32, 44, 56, 110, 1202, …): a 3×3 stem conv
 *     (16) + three stages of n BasicBlocks (16, 32, 64 filters; stride 1, 2, 2) + global average
 *     pool + `linear`. Depths 18, 34, 50, 101 and 152 always mean the ImageNet family.
 *   Seed 001's shallow pair (CIFAR): resnet7/plain7 and resnet9/plain9, see SHALLOW below.
 *
 * Suffixes, in any order, each at most once (`resnet20_B_drop0.5`):
 *   _A, _B, _C     shortcut option (residual nets only; default A for CIFAR, B for ImageNet)
 *   _drop<rate>    Dropout(rate) between the two convs of every BasicBlock (seed 001), e.g. _drop0.5
 *   _v1            ImageNet bottleneck nets with the stride in the first 1×1 (the paper's v1)
 *   _tiny          Tiny-ImageNet adaptation (seed 001, "skipping the first layer"): 64×64×3 input,
 *                  the 7×7/2 stem conv and the max-pool replaced by one 3×3/1 conv (64), 200 classes
 *   _seqhead       seed 000's head: fc = Linear(512→512), ReLU, Dropout(0.2), Linear(512→2),
 *                  LogSoftmax (torch names fc.0 … fc.4), 2 classes
 *   _sigmoid       every ReLU replaced by a sigmoid (the vanishing-gradient setting of claim B5)
 *   _nobn          no batch normalisation: the convs carry a bias instead (B5)
 *   cnn003         seed 003's plain CNN (TensorFlow's CIFAR-10 tutorial CNN, see CnnConfig)
 */

const IMAGENET_DEPTHS: Readonly<Record<number, {block: 'basic' | 'bottleneck'; blocks: readonly number[]}>> = {
  18: {block: 'basic', blocks: [2, 2, 2, 2]},
  34: {block: 'basic', blocks: [3, 4, 6, 3]},
  50: {block: 'bottleneck', blocks: [3, 4, 6, 3]},
  101: {block: 'bottleneck', blocks: [3, 4, 23, 3]},
  152: {block: 'bottleneck', blocks: [3, 8, 36, 3]},
};

/**
 * Seed 001's 7- and 9-layer CIFAR nets (paper 001 §III, Fig. 4). The paper does not list their
 * layers; ours count weighted layers (convs + the linear layer), shortcuts excluded:
 *   7 layers: conv1 3×3/1 (16) · layer1.0 BasicBlock (16, /1) · layer2.0 BasicBlock (32, /2)
 *             · conv2 3×3/2 (64) + bn2 + ReLU · global avg-pool · linear          = 1 + 2 + 2 + 1 + 1
 *   9 layers: conv1 3×3/1 (16) · layer1.0 (16, /1) · layer2.0 (32, /2) · layer3.0 (64, /2)
 *             · conv2 3×3/1 (64) + bn2 + ReLU · global avg-pool · linear          = 1 + 6 + 1 + 1
 * Both end at 8×8×64 like the 6n+2 nets; the plain twins drop the shortcuts only.
 */
const SHALLOW: Readonly<Record<number, {stages: readonly Stage[]; postConv: {filters: number; stride: 1 | 2}}>> = {
  7: {stages: [{blocks: 1, filters: 16, stride: 1}, {blocks: 1, filters: 32, stride: 2}], postConv: {filters: 64, stride: 2}},
  9: {stages: [{blocks: 1, filters: 16, stride: 1}, {blocks: 1, filters: 32, stride: 2}, {blocks: 1, filters: 64, stride: 2}],
    postConv: {filters: 64, stride: 1}},
};

const VGG: Readonly<Record<string, VggConfig>> = {
  vgg16: {family: 'vgg', features: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
    hidden: 4096, dropout: 0.5, numClasses: 1000, inputShape: [224, 224, 3]},
  vgg19: {family: 'vgg', features: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M',
    512, 512, 512, 512, 'M'], hidden: 4096, dropout: 0.5, numClasses: 1000, inputShape: [224, 224, 3]},
};

/** Seed 003's CNN: Conv(32)·Pool·Conv(64)·Pool·Conv(64) · Flatten · Dense(64) · Dense(10) (CIFAR's 32×32×3 by default). */
const CNN003: CnnConfig = {family: 'cnn', layers: [32, 'M', 64, 'M', 64], hidden: 64, numClasses: 10, inputShape: [32, 32, 3]};

/** Every name `repro models` lists (the parser accepts more: any 6n+2 depth and suffix combination). */
const LISTED: readonly string[] = [
  'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnext50_32x4d',
  'resnet50_v1', 'resnet101_v1', 'resnet152_v1', 'resnet34_A', 'resnet34_C', 'plain18', 'plain34',
  'vgg16', 'vgg19',
  'resnet18_tiny', 'resnet18_tiny_drop0.5', 'plain18_tiny', 'resnet18_seqhead',
  'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110', 'resnet1202',
  'plain20', 'plain32', 'plain44', 'plain56', 'plain110',
  'resnet20_B', 'resnet20_C', 'resnet56_B', 'resnet56_C', 'resnet20_drop0.5',
  'resnet7', 'plain7', 'resnet9', 'plain9',
  'plain56_sigmoid_nobn', 'resnet56_sigmoid_nobn', 'cnn003',
];

export function modelNames(): string[] {
  return [...LISTED];
}

const SCHEME = 'resnet18|34|50|101|152, resnext50_32x4d, vgg16, vgg19, resnet<d>/plain<d> with d = 6n+2 or 7/9, ' +
  'optional suffixes _A _B _C _drop<rate> _v1 _tiny _seqhead _sigmoid _nobn; cnn003';

function unknownName(name: string, why: string): ReproError {
  const close = modelNames()
    .map((n) => ({n, d: editDistance(n.toLowerCase(), name.toLowerCase())}))
    .sort((a, b) => a.d - b.d).slice(0, 3).map((x) => x.n);
  return new ReproError(`unknown model "${name}": ${why}`,
    {expected: SCHEME, fix: `did you mean ${close.join(', ')}? (\`repro models\` lists the registered names)`});
}

/** The config of a model name (see the scheme above). */
export function modelConfig(name: string): ModelConfig {
  if (name in VGG) return VGG[name];
  if (name === 'cnn003') return CNN003;
  const m = /^(resnet|plain|resnext50_32x4d)(\d*)((?:_[^_]+)*)$/.exec(name);
  if (!m) throw unknownName(name, 'not of the form resnet<depth>[_suffix…], plain<depth>[_suffix…], vgg16 or vgg19');
  const [, kind, depthText, suffixText] = m;
  const resnext = kind === 'resnext50_32x4d';
  if (resnext && depthText !== '') throw unknownName(name, 'resnext50_32x4d takes no depth');
  if (!resnext && depthText === '') throw unknownName(name, `"${kind}" needs a depth, e.g. ${kind}20`);
  const depth = resnext ? 50 : Number(depthText);
  const residual = kind !== 'plain';
  let shortcut: Shortcut | undefined;
  let dropout: number | undefined;
  let v1 = false, tiny = false, seqhead = false, sigmoid = false, nobn = false;
  const seen = new Set<string>();
  for (const s of suffixText.split('_').slice(1)) {
    const key = s.startsWith('drop') ? 'drop' : s;
    if (seen.has(key)) throw unknownName(name, `suffix _${key} is given twice`);
    seen.add(key);
    if (s === 'A' || s === 'B' || s === 'C') {
      if (!residual) throw unknownName(name, `a plain net has no shortcuts, so _${s} does not apply`);
      shortcut = s;
    } else if (s === 'v1') v1 = true;
    else if (s === 'tiny') tiny = true;
    else if (s === 'seqhead') seqhead = true;
    else if (s === 'sigmoid') sigmoid = true;
    else if (s === 'nobn') nobn = true;
    else if (/^drop(0?\.\d+)$/.test(s)) {
      dropout = Number(s.slice(4));
      if (!(dropout > 0 && dropout < 1)) throw unknownName(name, `dropout rate ${s.slice(4)} is not in (0, 1)`);
    } else {
      throw unknownName(name, `unknown suffix _${s}`);
    }
  }
  const imagenet = IMAGENET_DEPTHS[depth];
  if (imagenet) {
    if (v1 && imagenet.block !== 'bottleneck') throw unknownName(name, `_v1 applies to bottleneck nets (50, 101, 152), not depth ${depth}`);
    if (dropout !== undefined && imagenet.block !== 'basic') throw unknownName(name, `_drop applies to BasicBlock nets (18, 34), not depth ${depth}`);
    const filters = [64, 128, 256, 512];
    return {
      family: 'imagenet', block: imagenet.block, residual, shortcut: shortcut ?? 'B',
      stages: imagenet.blocks.map((blocks, i) => ({blocks, filters: filters[i], stride: i === 0 ? 1 : 2})),
      stem: tiny ? {filters: 64, kernel: 3, stride: 1, maxPool: false} : {filters: 64, kernel: 7, stride: 2, maxPool: true},
      ...(resnext ? {groups: 32, widthPerGroup: 4} : {}),
      ...(imagenet.block === 'bottleneck' ? {strideInBottleneck: v1 ? '1x1' : '3x3'} : {}),
      ...(dropout !== undefined ? {dropout} : {}),
      head: seqhead ? {kind: 'sequential', hidden: 512, dropout: 0.2} : {kind: 'linear'},
      numClasses: seqhead ? 2 : tiny ? 200 : 1000,
      inputShape: tiny ? [64, 64, 3] : [224, 224, 3],
      ...variantFields(sigmoid, nobn),
    };
  }
  if (v1 || tiny || seqhead) {
    const which = v1 ? '_v1' : tiny ? '_tiny' : '_seqhead';
    throw unknownName(name, `${which} applies to the ImageNet depths 18, 34, 50, 101, 152, not the CIFAR depth ${depth}`);
  }
  const shallow = SHALLOW[depth];
  if (!shallow && (depth < 8 || (depth - 2) % 6 !== 0)) {
    throw new ReproError(`model "${name}": depth ${depth} is not 6n+2`,
      {expected: 'a CIFAR depth 6n+2 with n ≥ 1 (20, 32, 44, 56, 110, 1202, …), 7 or 9 (seed 001\'s shallow pair), ' +
        'or an ImageNet depth 18, 34, 50, 101, 152',
      fix: `use e.g. ${kind}${Math.max(8, depth - ((depth - 2) % 6 + 6) % 6)} or ${kind}${depth + (6 - ((depth - 2) % 6 + 6) % 6) % 6}`});
  }
  const n = (depth - 2) / 6;
  const base: ResNetConfig = {
    family: 'cifar', block: 'basic', residual, shortcut: shortcut ?? 'A',
    stages: shallow ? shallow.stages : [16, 32, 64].map((filters, i) => ({blocks: n, filters, stride: i === 0 ? 1 : 2})),
    stem: {filters: 16, kernel: 3, stride: 1, maxPool: false},
    ...(shallow ? {postConv: shallow.postConv} : {}),
    ...(dropout !== undefined ? {dropout} : {}),
    head: {kind: 'linear'}, numClasses: 10, inputShape: [32, 32, 3],
    ...variantFields(sigmoid, nobn),
  };
  return base;
}

/** The activation/normalisation fields, present only when they differ from ReLU + BN (so other configs stay as they were). */
function variantFields(sigmoid: boolean, nobn: boolean): Pick<ResNetConfig, 'activation' | 'norm'> {
  return {...(sigmoid ? {activation: 'sigmoid' as const} : {}), ...(nobn ? {norm: 'none' as const} : {})};
}

export interface BuildModelOptions {
  /** Seed of the deterministic initialisation (default 0). */
  seed?: number;
  /** Override the default input [h, w, c]. */
  inputShape?: readonly [number, number, number];
  numClasses?: number;
  /** false: leave the weights at zero (for counting or before importing weights). Default true. */
  initialize?: boolean;
}

/** Builds a model from its name or config, initialised deterministically from `seed`. */
export function buildModel(nameOrConfig: string | ModelConfig, opts: BuildModelOptions = {}): tf.LayersModel {
  let config = typeof nameOrConfig === 'string' ? modelConfig(nameOrConfig) : nameOrConfig;
  if (opts.inputShape || opts.numClasses !== undefined) {
    const overrides = {
      ...(opts.inputShape ? {inputShape: opts.inputShape} : {}),
      ...(opts.numClasses !== undefined ? {numClasses: opts.numClasses} : {}),
    };
    config = isVggConfig(config) || isCnnConfig(config) ? {...config, ...overrides} : {...config, ...overrides};
  }
  const model = buildFromConfig(config);
  if (opts.initialize ?? true) initializeWeights(model, config, opts.seed ?? 0);
  return model;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}
