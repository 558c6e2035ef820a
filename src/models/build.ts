import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../util/errors';
import type {CnnConfig, ModelConfig, ResNetConfig, VggConfig} from './config';
import {isCnnConfig, isVggConfig} from './config';
import {TorchBatchNorm} from './layers/batch_norm';
import {GroupedConv2D} from './layers/grouped_conv2d';
import {Conv2D} from './layers/conv2d';
import {TorchMaxPool2D} from './layers/max_pool';
import {LogSoftmax} from './layers/log_softmax';
import {SeededDropout} from './layers/seeded_dropout';
import {ZeroPadShortcut} from './layers/zero_pad_shortcut';

/**
 * The one build function: any ModelConfig → a tf.LayersModel (functional API), NHWC.
 *
 * Layer names are torchvision's (or akamaster's for the CIFAR family) state-dict keys without the
 * parameter suffix: `conv1`, `bn1`, `layer1.0.conv1`, `layer2.0.downsample.0`, `fc`, `features.0`,
 * `classifier.6` (tfjs-layers accepts dots). Layers without weights get names in the same scheme
 * (`layer1.0.relu1`, `layer1.0.add`, `<conv>.pad`) so that every name is deterministic. A BN
 * followed by ReLU (after the shortcut's add, in a block) is one layer under the BN's name, whose
 * op fuses the three; only nets without BN or with sigmoid keep separate add and activation layers.
 *
 * Padding follows torch exactly: a stride-1 k×k conv uses 'same' (symmetric for odd k), but a
 * stride-2 conv pads k/2 on every side explicitly, because tfjs' 'same' pads only bottom/right on
 * even inputs and would sample different pixels than torch: inside the conv (layers/conv2d.ts,
 * `torchPadding`) when it has no bias and one group, else as a ZeroPadding2D layer `<conv>.pad`
 * before a 'valid' conv. The stem's max-pool pads as torch does (−∞, inside the op: layers/max_pool.ts).
 *
 * Weights are created as zeros here; `initializeWeights` (init.ts) fills them from a seed.
 */
export function buildFromConfig(config: ModelConfig): tf.LayersModel {
  return isVggConfig(config) ? buildVgg(config) : isCnnConfig(config) ? buildCnn(config) : buildResNet(config);
}

type Sym = tf.SymbolicTensor;

function apply(layer: tf.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

function channels(x: Sym): number {
  return x.shape[x.shape.length - 1] as number;
}

function relu(x: Sym, name: string): Sym {
  return apply(tf.layers.activation({activation: 'relu', name}), x);
}

function conv(x: Sym, name: string, filters: number, kernel: number, stride: 1 | 2,
  opts: {bias?: boolean; groups?: number} = {}): Sym {
  const groups = opts.groups ?? 1;
  const bias = opts.bias ?? false;
  const padding: 'same' | 'valid' = stride !== 1 || kernel === 1 ? 'valid' : 'same';
  // torch's symmetric padding of a stride-2 conv: inside the conv where our Conv2D can do it (no
  // bias, one group), else as a layer of its own.
  const torchPadding = stride !== 1 && kernel > 1 ? Math.floor(kernel / 2) : 0;
  const inside = torchPadding > 0 && !bias && groups === 1;
  const input = torchPadding > 0 && !inside ?
    apply(tf.layers.zeroPadding2d({padding: [[torchPadding, torchPadding], [torchPadding, torchPadding]], name: `${name}.pad`}), x) : x;
  if (groups > 1) {
    return apply(new GroupedConv2D({name, filters, kernelSize: kernel, strides: stride, padding, groups}), input);
  }
  return apply(new Conv2D({name, filters, kernelSize: kernel, strides: stride, padding, torchPadding: inside ? torchPadding : 0,
    useBias: bias, kernelInitializer: 'zeros', biasInitializer: 'zeros'}), input);
}

function bn(x: Sym, name: string): Sym {
  return apply(new TorchBatchNorm({name}), x);
}

/** The activation a ResNet config asks for, under the ReLU's name (torch keeps no weights there). */
function act(cfg: ResNetConfig, x: Sym, name: string): Sym {
  return cfg.activation === 'sigmoid' ? apply(tf.layers.activation({activation: 'sigmoid', name}), x) : relu(x, name);
}

/** conv + BN, or conv with a bias where the config has no normalisation (torch's nn.Conv2d default). */
function convNorm(cfg: ResNetConfig, x: Sym, convName: string, bnName: string, filters: number, kernel: number, stride: 1 | 2,
  opts: {groups?: number} = {}): Sym {
  if (cfg.norm === 'none') return conv(x, convName, filters, kernel, stride, {...opts, bias: true});
  return bn(conv(x, convName, filters, kernel, stride, opts), bnName);
}

interface ConvNormActNames {conv: string; bn: string; act: string; add?: string}

/**
 * conv, BN, the shortcut added when `residual` is given, then the activation. With BN and ReLU
 * the BN, add and ReLU are one layer under the BN's name (TorchBatchNorm with relu: one fused
 * op, torch's bn, `+=` and relu); otherwise separate layers under their torch names.
 */
function convNormAct(cfg: ResNetConfig, x: Sym, names: ConvNormActNames, filters: number, kernel: number, stride: 1 | 2,
  opts: {groups?: number; residual?: () => Sym; projection?: boolean} = {}): Sym {
  // A projection shortcut (conv + BN) stays unfused: fusing would reorder the graph's layers, and
  // initialisation draws the weights in layer order (the nets' weights must not change).
  if (cfg.norm !== 'none' && cfg.activation !== 'sigmoid' && !opts.projection) {
    const c = conv(x, names.conv, filters, kernel, stride, {groups: opts.groups});
    const residual = opts.residual?.();
    return apply(new TorchBatchNorm({name: names.bn, relu: true}), residual ? [c, residual] : c);
  }
  let y = convNorm(cfg, x, names.conv, names.bn, filters, kernel, stride, {groups: opts.groups});
  if (opts.residual) y = apply(tf.layers.add({name: names.add}), [y, opts.residual()]);
  return act(cfg, y, names.act);
}

function dense(x: Sym, name: string, units: number): Sym {
  return apply(tf.layers.dense({name, units, kernelInitializer: 'zeros', biasInitializer: 'zeros'}), x);
}

/** Whether a block's shortcut is a projection (1×1 conv + BN), rather than the identity or option A. */
function isProjection(cfg: ResNetConfig, x: Sym, outChannels: number, stride: 1 | 2): boolean {
  const dimsChange = stride !== 1 || channels(x) !== outChannels;
  return cfg.shortcut === 'C' || (cfg.shortcut === 'B' && dimsChange);
}

/** The shortcut branch of one block; `x` itself for an identity. */
function shortcut(cfg: ResNetConfig, x: Sym, prefix: string, outChannels: number, stride: 1 | 2): Sym {
  const name = `${prefix}.${cfg.family === 'cifar' ? 'shortcut' : 'downsample'}`;
  const dimsChange = stride !== 1 || channels(x) !== outChannels;
  if (isProjection(cfg, x, outChannels, stride)) {
    return convNorm(cfg, x, `${name}.0`, `${name}.1`, outChannels, 1, stride);
  }
  if (cfg.shortcut === 'A' && dimsChange) {
    return apply(new ZeroPadShortcut({name, stride, outChannels}), x);
  }
  return x;
}

function basicBlock(cfg: ResNetConfig, x: Sym, p: string, filters: number, stride: 1 | 2): Sym {
  let y = convNormAct(cfg, x, {conv: `${p}.conv1`, bn: `${p}.bn1`, act: `${p}.relu1`}, filters, 3, stride);
  if (cfg.dropout) y = apply(new SeededDropout({name: `${p}.dropout`, rate: cfg.dropout}), y);
  const residual = cfg.residual ? () => shortcut(cfg, x, p, filters, stride) : undefined;
  return convNormAct(cfg, y, {conv: `${p}.conv2`, bn: `${p}.bn2`, act: `${p}.relu2`, add: `${p}.add`}, filters, 3, 1,
    {residual, projection: cfg.residual && isProjection(cfg, x, filters, stride)});
}

function bottleneck(cfg: ResNetConfig, x: Sym, p: string, planes: number, stride: 1 | 2): Sym {
  const groups = cfg.groups ?? 1;
  const width = Math.floor(planes * ((cfg.widthPerGroup ?? 64) / 64)) * groups;
  const v1 = cfg.strideInBottleneck === '1x1';
  let y = convNormAct(cfg, x, {conv: `${p}.conv1`, bn: `${p}.bn1`, act: `${p}.relu1`}, width, 1, v1 ? stride : 1);
  y = convNormAct(cfg, y, {conv: `${p}.conv2`, bn: `${p}.bn2`, act: `${p}.relu2`}, width, 3, v1 ? 1 : stride, {groups});
  const residual = cfg.residual ? () => shortcut(cfg, x, p, planes * 4, stride) : undefined;
  return convNormAct(cfg, y, {conv: `${p}.conv3`, bn: `${p}.bn3`, act: `${p}.relu3`, add: `${p}.add`}, planes * 4, 1, 1,
    {residual, projection: cfg.residual && isProjection(cfg, x, planes * 4, stride)});
}

function buildResNet(cfg: ResNetConfig): tf.LayersModel {
  if (cfg.dropout && cfg.block !== 'basic') {
    throw new ReproError(`dropout ${cfg.dropout} was asked for a ${cfg.block} block`,
      {expected: 'dropout only with BasicBlocks (seed 001\'s dropout BasicBlock)'});
  }
  const input = tf.input({shape: [...cfg.inputShape], name: 'input'});
  let x = convNormAct(cfg, input, {conv: 'conv1', bn: 'bn1', act: 'relu'}, cfg.stem.filters, cfg.stem.kernel, cfg.stem.stride);
  if (cfg.stem.maxPool) {
    x = apply(new TorchMaxPool2D({poolSize: 3, strides: 2, padding: 1, name: 'maxpool'}), x);
  }
  cfg.stages.forEach((stage, i) => {
    for (let j = 0; j < stage.blocks; j++) {
      const stride = j === 0 ? stage.stride : 1;
      const p = `layer${i + 1}.${j}`;
      x = cfg.block === 'basic' ? basicBlock(cfg, x, p, stage.filters, stride) : bottleneck(cfg, x, p, stage.filters, stride);
    }
  });
  if (cfg.postConv) {
    x = convNormAct(cfg, x, {conv: 'conv2', bn: 'bn2', act: 'relu2'}, cfg.postConv.filters, 3, cfg.postConv.stride);
  }
  x = apply(tf.layers.globalAveragePooling2d({name: 'avgpool'}), x);
  const fc = cfg.family === 'cifar' ? 'linear' : 'fc';
  if (cfg.head.kind === 'linear') {
    x = dense(x, fc, cfg.numClasses);
  } else {
    // torch: nn.Sequential(Linear, ReLU, Dropout, Linear, LogSoftmax) → fc.0 … fc.4
    x = relu(dense(x, `${fc}.0`, cfg.head.hidden), `${fc}.1`);
    x = apply(new SeededDropout({name: `${fc}.2`, rate: cfg.head.dropout}), x);
    x = dense(x, `${fc}.3`, cfg.numClasses);
    x = apply(new LogSoftmax({name: `${fc}.4`}), x);
  }
  return tf.model({inputs: input, outputs: x, name: 'resnet'});
}

function buildVgg(cfg: VggConfig): tf.LayersModel {
  const input = tf.input({shape: [...cfg.inputShape], name: 'input'});
  let x: Sym = input;
  // torch's indices: a conv and its ReLU take two, a pool one.
  let idx = 0;
  for (const f of cfg.features) {
    if (f === 'M') {
      x = apply(tf.layers.maxPooling2d({poolSize: 2, strides: 2, name: `features.${idx}`}), x);
      idx += 1;
    } else {
      x = relu(conv(x, `features.${idx}`, f, 3, 1, {bias: true}), `features.${idx + 1}`);
      idx += 2;
    }
  }
  if (x.shape[1] !== 7 || x.shape[2] !== 7) {
    throw new ReproError(`VGG input ${cfg.inputShape.join('×')} gives ${x.shape[1]}×${x.shape[2]} features`,
      {expected: 'an input whose features end at 7×7 (224×224), where torchvision\'s AdaptiveAvgPool2d(7) is the identity'});
  }
  // torch flattens NCHW (channel-major): permute to [C, H, W] first so classifier.0 imports unchanged.
  x = apply(tf.layers.permute({dims: [3, 1, 2], name: 'flatten.nchw'}), x);
  x = apply(tf.layers.flatten({name: 'flatten'}), x);
  x = relu(dense(x, 'classifier.0', cfg.hidden), 'classifier.1');
  x = apply(new SeededDropout({name: 'classifier.2', rate: cfg.dropout}), x);
  x = relu(dense(x, 'classifier.3', cfg.hidden), 'classifier.4');
  x = apply(new SeededDropout({name: 'classifier.5', rate: cfg.dropout}), x);
  x = dense(x, 'classifier.6', cfg.numClasses);
  return tf.model({inputs: input, outputs: x, name: 'vgg'});
}

function buildCnn(cfg: CnnConfig): tf.LayersModel {
  const input = tf.input({shape: [...cfg.inputShape], name: 'input'});
  let x: Sym = input;
  cfg.layers.forEach((l, i) => {
    x = l === 'M'
      ? apply(tf.layers.maxPooling2d({poolSize: 2, strides: 2, name: `pool${i}`}), x)
      : relu(apply(tf.layers.conv2d({name: `conv${i}`, filters: l, kernelSize: 3, padding: 'valid', useBias: true,
        kernelInitializer: 'zeros', biasInitializer: 'zeros'}), x), `relu${i}`);
  });
  x = apply(tf.layers.flatten({name: 'flatten'}), x);
  x = relu(dense(x, 'dense0', cfg.hidden), 'dense0.relu');
  x = dense(x, 'dense1', cfg.numClasses);
  return tf.model({inputs: input, outputs: x, name: 'cnn'});
}
