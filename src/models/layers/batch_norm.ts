import * as tf from '@tensorflow/tfjs';
import {batchNormReluTrain, batchNormTrain} from '../../engine/ops/batch_norm_train';
import {runningStats} from '../../engine/ops/running_stats';

export interface TorchBatchNormArgs {
  name: string;
  epsilon?: number;
  momentum?: number;
  /**
   * Apply ReLU to the output, after adding a second input if the layer is given one: the layer
   * is then a block's BN, add and ReLU (torch's bn2, the `+=` and relu), computed as one op.
   */
  relu?: boolean;
}

/**
 * Batch normalisation over the channel (last) axis with PyTorch's semantics, so that imported
 * torchvision weights behave identically and training matches torch: eps 1e-5; momentum 0.1 with
 * torch's convention (running = (1 − m)·running + m·batch, the opposite of Keras'); running_var
 * updated with the UNBIASED batch variance (n/(n−1)), normalisation with the biased one.
 *
 * Training mode calls `batchNormTrain` (one op with its own gradient, native when registered)
 * instead of tfjs-layers' ~25-op decomposition. Weights, in order: gamma, beta, movingMean,
 * movingVariance (torch: weight, bias, running_mean, running_var).
 *
 * With `relu`, the output is relu(bn(x)), or relu(bn(x) + residual) when applied to
 * [x, residual]; batchNormReluTrain fuses them where the engine can (cpu-native).
 */
export class TorchBatchNorm extends tf.layers.Layer {
  static readonly className = 'TorchBatchNorm';
  readonly epsilon: number;
  readonly momentum: number;
  readonly relu: boolean;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: TorchBatchNormArgs) {
    super({name: args.name});
    this.epsilon = args.epsilon ?? 1e-5;
    this.momentum = args.momentum ?? 0.1;
    this.relu = args.relu ?? false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (c === null) throw new Error(`${this.name}: the channel dimension must be known`);
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: {training?: boolean}): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const residual = Array.isArray(inputs) ? inputs[1] : undefined;
    if (residual !== undefined && !this.relu) throw new Error(`${this.name}: a residual input is taken only with relu`);
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    if (!kwargs.training) {
      const y = tf.batchNorm(x, this.movingMean.read() as tf.Tensor1D, this.movingVariance.read() as tf.Tensor1D,
        beta, gamma, this.epsilon);
      return this.relu ? tf.relu(residual ? tf.add(y, residual) : y) : y;
    }
    const {y, mean, variance} = this.relu ? batchNormReluTrain(x, gamma, beta, this.epsilon, residual)
      : batchNormTrain(x, gamma, beta, this.epsilon);
    tf.tidy(() => {  // the variables keep the new values; tidy drops the tensors' own references
      const [runningMean, runningVariance] = runningStats(this.movingMean.read() as tf.Tensor1D,
        this.movingVariance.read() as tf.Tensor1D, mean, variance,
        {momentum: this.momentum, count: x.size / x.shape[x.shape.length - 1]});
      this.movingMean.write(runningMean);
      this.movingVariance.write(runningVariance);
    });
    mean.dispose();
    variance.dispose();
    return y;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return Array.isArray(inputShape[0]) ? inputShape[0] as tf.Shape : inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), epsilon: this.epsilon, momentum: this.momentum, relu: this.relu};
  }
}
tf.serialization.registerClass(TorchBatchNorm);
