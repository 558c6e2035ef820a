import * as tf from '@tensorflow/tfjs';

/** torch's nn.LogSoftmax(dim=1) on [batch, classes]: tfjs-layers' typings do not expose 'logSoftmax'. */
export class LogSoftmax extends tf.layers.Layer {
  static readonly className = 'LogSoftmax';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.logSoftmax(Array.isArray(inputs) ? inputs[0] : inputs);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
}
tf.serialization.registerClass(LogSoftmax);
