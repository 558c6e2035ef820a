/**
 * The nets `repro bench` trains: every net the profiles train, at the input size and class
 * count they train at. bench/torch_bench.py builds the same nets for the PyTorch peer.
 * Default batches: 128 for the CIFAR nets (the paper's); 32 at 64×64, so that the default run
 * stays within a few minutes on two cores (`--batch` overrides every net's).
 */
export interface BenchNet {
  /** A model-zoo name (src/models/registry.ts) that bench/torch_bench.py knows too. */
  name: string;
  inputShape: [number, number, number];
  numClasses: number;
  batch: number;
}

const cifar = (name: string): BenchNet => ({name, inputShape: [32, 32, 3], numClasses: 10, batch: 128});
const at64 = (name: string, numClasses: number): BenchNet => ({name, inputShape: [64, 64, 3], numClasses, batch: 32});

export const BENCH_NETS: readonly BenchNet[] = [
  cifar('resnet20'), cifar('resnet32'), cifar('resnet56'), cifar('plain20'), cifar('plain56'),
  // Tiny-ImageNet (experiment C) and the transfer nets at the quick profile's 64×64 (experiment D).
  at64('resnet18_tiny', 200), at64('resnet18_tiny_drop0.5', 200),
  at64('resnet50', 10), at64('resnext50_32x4d', 10),
];

export function benchNet(name: string): BenchNet | undefined {
  return BENCH_NETS.find((n) => n.name === name);
}
