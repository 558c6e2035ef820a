import * as tf from '@tensorflow/tfjs';
import {Rng} from '../util/rng';
import type {ModelConfig} from './config';

/**
 * Deterministic initialisation from a seed (pure JS Rng: identical across processes and backends),
 * following the reference implementations so that training starts as theirs does:
 *
 *   ImageNet ResNets (torchvision): convs kaiming_normal_(fan_out, relu): N(0, 2/(out·kh·kw));
 *     Linear: torch's default U(±1/√in) for weight and bias; BN weight 1, bias 0.
 *   CIFAR ResNets (akamaster): convs and Linear kaiming_normal_ (fan_in): N(0, 2/(in/g·kh·kw)),
 *     Linear bias U(±1/√in); BN weight 1, bias 0.
 *   VGG (torchvision): convs kaiming_normal_(fan_out), bias 0; Linear N(0, 0.01²), bias 0.
 *   Seed 003's CNN (Keras): Glorot uniform, bias 0. Conv biases of nets without BN: 0.
 *
 * Weights are drawn in layer order from one stream, so adding a layer changes later weights.
 */
export function initializeWeights(model: tf.LayersModel, config: ModelConfig, seed: number): void {
  const rng = new Rng(seed);
  const normal = (n: number, std: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.normal() * std;
    return a;
  };
  const uniform = (n: number, bound: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (2 * rng.next() - 1) * bound;
    return a;
  };
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'GroupedConv2D' && cls !== 'Dense') continue;
    const kernel = layer.weights[0];
    const shape = kernel.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    let k: Float32Array;
    let b: Float32Array | undefined;
    const hasBias = layer.weights.length > 1;
    if (config.family === 'cnn') {
      // Keras' defaults: Glorot uniform U(±√(6/(fan_in + fan_out))), zero bias.
      const receptive = shape.length === 4 ? shape[0] * shape[1] : 1;
      const fanIn = shape[shape.length - 2] * receptive, fanOut = shape[shape.length - 1] * receptive;
      k = uniform(size, Math.sqrt(6 / (fanIn + fanOut)));
      if (hasBias) b = new Float32Array(shape[shape.length - 1]);
    } else if (cls === 'Dense') {
      const fanIn = shape[0];
      if (config.family === 'vgg') {
        k = normal(size, 0.01);
        if (hasBias) b = new Float32Array(shape[1]);
      } else {
        k = config.family === 'cifar' ? normal(size, Math.sqrt(2 / fanIn)) : uniform(size, 1 / Math.sqrt(fanIn));
        if (hasBias) b = uniform(shape[1], 1 / Math.sqrt(fanIn));
      }
    } else {
      const [kh, kw, inPerGroup, out] = shape;
      const fan = config.family === 'cifar' ? inPerGroup * kh * kw : out * kh * kw;
      k = normal(size, Math.sqrt(2 / fan));
      if (hasBias) b = new Float32Array(out);
    }
    assign(kernel, k);
    if (b !== undefined) assign(layer.weights[1], b);
  }
}

function assign(v: tf.LayerVariable, data: Float32Array): void {
  const t = tf.tensor(data, v.shape as number[]);
  v.write(t);
  t.dispose();
}
