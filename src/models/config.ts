/**
 * Model configurations as data (timm / keras-hub style): every variant of the zoo is one of these
 * objects, and one function (build.ts) turns any of them into a tf.LayersModel.
 */

export const Family = {cifar: 'cifar', imagenet: 'imagenet'} as const;
export type Family = typeof Family[keyof typeof Family];
export function isFamily(x: unknown): x is Family {
  return typeof x === 'string' && Object.values(Family).includes(x as Family);
}

export const BlockKind = {basic: 'basic', bottleneck: 'bottleneck'} as const;
export type BlockKind = typeof BlockKind[keyof typeof BlockKind];
export function isBlockKind(x: unknown): x is BlockKind {
  return typeof x === 'string' && Object.values(BlockKind).includes(x as BlockKind);
}

/**
 * Shortcut options of He et al. (2015) §3.3: A = identity, with stride-2 subsampling and zero-padded
 * channels where dimensions change (no parameters); B = 1×1 projection (+BN) only where dimensions
 * change; C = 1×1 projection (+BN) on every block.
 */
export const Shortcut = {A: 'A', B: 'B', C: 'C'} as const;
export type Shortcut = typeof Shortcut[keyof typeof Shortcut];
export function isShortcut(x: unknown): x is Shortcut {
  return typeof x === 'string' && Object.values(Shortcut).includes(x as Shortcut);
}

/** One stage of blocks at one width; `stride` applies to the first block of the stage. */
export interface Stage {
  readonly blocks: number;
  /** BasicBlock output channels, or the bottleneck's "planes" (output = 4 × planes). */
  readonly filters: number;
  readonly stride: 1 | 2;
}

/**
 * The stem before the stages. `conv`: one conv (k×k, stride, padding k/2) + BN + ReLU, then an
 * optional 3×3/2 max-pool with padding 1 (torchvision's ImageNet stem is {kernel 7, stride 2, maxPool}).
 */
export interface StemSpec {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: 1 | 2;
  readonly maxPool: boolean;
}

/** A plain conv (3×3, padding 1) + BN + ReLU after the last stage, named `conv2`/`bn2` (7/9-layer nets). */
export interface PostConvSpec {
  readonly filters: number;
  readonly stride: 1 | 2;
}

/** `linear`: one Linear layer. `sequential`: seed 000's head: Linear→ReLU→Dropout→Linear→LogSoftmax. */
export type HeadSpec =
  | {readonly kind: 'linear'}
  | {readonly kind: 'sequential'; readonly hidden: number; readonly dropout: number};

/** The nonlinearity after each conv (+BN): ReLU as the papers, or the sigmoid of the vanishing-gradient argument (B5). */
export const Activation = {relu: 'relu', sigmoid: 'sigmoid'} as const;
export type Activation = typeof Activation[keyof typeof Activation];

/** Batch normalisation after every conv (the papers), or none (the convs then carry a bias, as torch's default). */
export const Norm = {bn: 'bn', none: 'none'} as const;
export type Norm = typeof Norm[keyof typeof Norm];

export interface ResNetConfig {
  readonly family: Family;
  readonly block: BlockKind;
  /** false = the plain twin: the same convolutions without any shortcut. */
  readonly residual: boolean;
  readonly shortcut: Shortcut;
  readonly stages: readonly Stage[];
  readonly stem: StemSpec;
  readonly postConv?: PostConvSpec;
  /** Bottleneck width per group (ResNeXt): width = planes × widthPerGroup/64 × groups. */
  readonly groups?: number;
  readonly widthPerGroup?: number;
  /** "v1.5" (torchvision) puts a bottleneck's stride in the 3×3 conv; "v1" (the paper) in the first 1×1. */
  readonly strideInBottleneck?: '3x3' | '1x1';
  /** Dropout rate between the two convs of every BasicBlock (seed 001), 0 or absent for none. */
  readonly dropout?: number;
  readonly head: HeadSpec;
  readonly numClasses: number;
  /** Default input [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  /** Absent: 'relu'. Every ReLU of the net (blocks, stem, post-conv) becomes this activation. */
  readonly activation?: Activation;
  /** Absent: 'bn'. */
  readonly norm?: Norm;
}

/**
 * Seed 003's plain CNN: the Keras Sequential CNN of TensorFlow's CIFAR-10 tutorial, which 003's
 * text follows (Conv2D + MaxPooling2D layers, ReLU, no batch normalisation, no shortcuts, then
 * Flatten + Dense): `layers` are 3×3 'valid' convs with bias (a number: filters) and 2×2 max-pools
 * ('M'); then Dense(hidden, ReLU) and Dense(numClasses). Keras' default init (Glorot uniform, zero bias).
 */
export interface CnnConfig {
  readonly family: 'cnn';
  readonly layers: readonly (number | 'M')[];
  readonly hidden: number;
  readonly numClasses: number;
  readonly inputShape: readonly [number, number, number];
}

/** torchvision's VGG: `features` (3×3 convs with bias, ReLU, 2×2 max-pools 'M'), then the classifier. */
export interface VggConfig {
  readonly family: 'vgg';
  readonly features: readonly (number | 'M')[];
  readonly hidden: number;
  readonly dropout: number;
  readonly numClasses: number;
  readonly inputShape: readonly [number, number, number];
}

export type ModelConfig = ResNetConfig | VggConfig | CnnConfig;

export function isVggConfig(c: ModelConfig): c is VggConfig {
  return c.family === 'vgg';
}

export function isCnnConfig(c: ModelConfig): c is CnnConfig {
  return c.family === 'cnn';
}
