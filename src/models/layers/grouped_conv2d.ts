import * as tf from '@tensorflow/tfjs';
import {groupedConv2d} from '../../engine/ops/grouped_conv2d';

export interface GroupedConv2DArgs {
  name: string;
  filters: number;
  kernelSize: number;
  strides: 1 | 2;
  padding: 'same' | 'valid';
  groups: number;
}

/**
 * A bias-free grouped convolution (ResNeXt's 3×3) over the engine's grouped-convolution op
 * (src/engine/ops/grouped_conv2d.ts: one native primitive on cpu-native, slices elsewhere). The kernel keeps
 * torch's layout transposed, [kh, kw, in/groups, out], so it maps onto torch's [out, in/groups, kh, kw]
 * by the same OIHW→HWIO transpose as any conv (zero-initialised: init.ts fills it); output group g is channels [g·out/G, (g+1)·out/G).
 */
export class GroupedConv2D extends tf.layers.Layer {
  static readonly className = 'GroupedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: 1 | 2;
  readonly padding: 'same' | 'valid';
  readonly groups: number;
  private kernel!: tf.LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    super({name: args.name});
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides;
    this.padding = args.padding;
    this.groups = args.groups;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = s[3];
    if (cin === null || cin % this.groups !== 0 || this.filters % this.groups !== 0) {
      throw new Error(`${this.name}: channels in ${cin} and out ${this.filters} must be divisible by groups ${this.groups}`);
    }
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, cin / this.groups, this.filters],
      'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return groupedConv2d(x, this.kernel.read() as tf.Tensor4D,
      {strides: this.strides, pad: this.padding, groups: this.groups});
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (d: number | null) => {
      if (d === null) return null;
      return this.padding === 'same' ? Math.ceil(d / this.strides) : Math.floor((d - this.kernelSize) / this.strides) + 1;
    };
    return [s[0], out(s[1]), out(s[2]), this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides,
      padding: this.padding, groups: this.groups};
  }
}
tf.serialization.registerClass(GroupedConv2D);
