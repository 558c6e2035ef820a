import * as tf from '@tensorflow/tfjs';

/**
 * ReLU's and sigmoid's gradients as one kernel each where the backend has one (cpu-native),
 * instead of tfjs's 2–3 full-tensor ops and temporaries:
 *   ReproReluGrad     inputs {dy, y}  dx = dy · step(y)       (NaN where y is NaN)
 *   ReproSigmoidGrad  inputs {dy, y}  dx = dy · (y · (1 − y))
 * The same products in the same order as tfjs's own gradients (src: tfjs-core/gradients), so
 * the bits are equal; a backend without the kernels runs tfjs's formulas unchanged.
 * tfjs keeps one gradient per kernel name for all backends: these replace Relu's and Sigmoid's
 * (silently; tfjs only warns under its DEBUG flag) and dispatch on the active backend.
 * ReLU's gradient reads the output y = relu(x) instead of x (step(y) = step(x), NaN and −0
 * included): the next layer keeps y anyway, so the input (usually a batch norm's output, which
 * nothing else keeps) is freed after the forward pass: one activation less per BN + ReLU.
 */
export const RELU_GRAD = 'ReproReluGrad';
export const SIGMOID_GRAD = 'ReproSigmoidGrad';

const has = (name: string) => tf.getKernel(name, tf.getBackend()) !== undefined;

tf.registerGradient({
  kernelName: tf.Relu,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    const d = dy as tf.Tensor;
    return {x: () => (has(RELU_GRAD) && d.dtype === 'float32' && y.dtype === 'float32' ?
      tf.engine().runKernel(RELU_GRAD, {dy: d, y}) as tf.Tensor : tf.mul(d, tf.cast(tf.step(y), 'float32')))};
  },
});

tf.registerGradient({
  kernelName: tf.Sigmoid,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    const d = dy as tf.Tensor;
    return {x: () => (has(SIGMOID_GRAD) && d.dtype === 'float32' && y.dtype === 'float32' ?
      tf.engine().runKernel(SIGMOID_GRAD, {dy: d, y}) as tf.Tensor : tf.mul(d, tf.mul(y, tf.sub(tf.scalar(1), y))))};
  },
});
