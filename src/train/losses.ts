import * as tf from '@tensorflow/tfjs';

/**
 * Mean loss over the batch. 'cross-entropy' takes logits (the ResNet papers); 'nll' takes
 * log-probabilities from a LogSoftmax head (seed 000's NLLLoss).
 */
export function lossFn(kind: 'cross-entropy' | 'nll', output: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = kind === 'cross-entropy' ? tf.logSoftmax(output) : output;
    const oneHot = tf.oneHot(labels, output.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, oneHot), 1))) as tf.Scalar;
  });
}

/** How many predictions (argmax) differ from the labels. */
export async function countWrong(output: tf.Tensor2D, labels: tf.Tensor1D): Promise<number> {
  const wrong = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(tf.argMax(output, 1), labels), 'int32')));
  try { return (await wrong.data())[0]; } finally { wrong.dispose(); }
}
