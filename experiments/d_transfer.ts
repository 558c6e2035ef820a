import type {Claim, RunResults} from '../src/claims/claim';
import {PRETRAINED, fetchWeightsCommand, pretrainedInfo} from '../src/models/pretrained';
import {accuracyByDepthFigure} from '../src/report/figures/accuracy_by_depth';
import {transferTable} from '../src/report/figures/transfer_table';
import type {RunSpec} from '../src/runs/spec';
import type {ExperimentContext} from './data_choice';
import type {Profile} from './profile';
import {runName} from './recipe';
import {finishedRoles, seedFinal, type ExperimentSpec, type NotRun} from './types';

const ID = 'D';

/** The six nets of seed 004 (torchvision names = our registry names), with their pretrained weights and the paper's numbers. */
const NETS = [
  {run: 'resnet18', label: 'ResNet-18', depth: 18, family: 'ResNet', paperAccuracy: 0.932, paperLoss: 0.19},
  {run: 'resnet34', label: 'ResNet-34', depth: 34, family: 'ResNet'},
  {run: 'resnet50', label: 'ResNet-50', depth: 50, family: 'ResNet'},
  {run: 'resnet101', label: 'ResNet-101', depth: 101, family: 'ResNet'},
  {run: 'resnet152', label: 'ResNet-152', depth: 152, family: 'ResNet', paperAccuracy: 0.965, paperLoss: 0.07},
  {run: 'resnext50_32x4d', label: 'ResNeXt-50 (32×4d)', depth: 50, family: 'ResNeXt'},
] as const;
const weightsOf = (run: string) => `${run}.tv_in1k`;

const accuracy = (r: RunResults, n: string, seed: number) => 1 - seedFinal(r, n, seed).testError;
const trainLoss = (r: RunResults, n: string, seed: number) => seedFinal(r, n, seed).trainLoss;
/** Every profile decides the pairs the document gives numbers for; only the paper profile trains the whole depth chain. */
const QUICK_NETS = ['resnet18', 'resnet50', 'resnet152', 'resnext50_32x4d'] as const;
const D_SEEDS = [1, 2, 3] as const;

const claims: readonly Claim[] = [
  {id: 'D1', statement: 'ImageNet-pretrained ResNet-18 … 152 and ResNeXt-50, fine-tuned 5 epochs on CIFAR-10: deeper is better',
    source: {doc: '004', where: '"Analysis of CIFAR-10 on ResNet models", test accuracy figure'},
    effects: [{name: 'test accuracy resnet152 − resnet18', perSeed: (r, s) => accuracy(r, 'resnet152', s) - accuracy(r, 'resnet18', s),
      rule: {kind: 'above', threshold: 0}}],
    expected: {holds: 'gt', threshold: 0, unit: '%', paperText: 'test accuracy ResNet-18 93.2%, ResNet-152 96.5%'}},
  {id: 'D2', statement: 'Training loss after 5 epochs falls with depth',
    source: {doc: '004', where: '"Analysis of CIFAR-10 on ResNet models"'},
    effects: [{name: 'training loss resnet18 − resnet152', perSeed: (r, s) => trainLoss(r, 'resnet18', s) - trainLoss(r, 'resnet152', s),
      rule: {kind: 'above', threshold: 0}}],
    expected: {holds: 'gt', threshold: 0, paperText: 'ResNet-18 ≈ 0.19, ResNet-152 ≈ 0.07'}},
  {id: 'D3', statement: 'ResNeXt-50 beats ResNet-50',
    source: {doc: '004', where: '"Analysis of CIFAR-10 on ResNet models"'},
    effects: [{name: 'test accuracy resnext50_32x4d − resnet50', perSeed: (r, s) => accuracy(r, 'resnext50_32x4d', s) - accuracy(r, 'resnet50', s),
      rule: {kind: 'above', threshold: 0}}],
    expected: {holds: 'gt', threshold: 0, unit: '%', paperText: 'qualitative'}},
];

/**
 * The paper profile: the published setup as far as seed 004 gives it (torchvision's pretrained
 * nets, last layer replaced, 5 epochs on CIFAR-10, images resized to 224 with ImageNet
 * normalisation). It names no optimiser, batch size or augmentation, so those follow PyTorch's
 * "Finetuning Torchvision Models" tutorial: SGD lr 0.001, momentum 0.9, no weight decay, batch 8,
 * every layer trained (its feature_extract=False), random horizontal flips (its RandomResizedCrop
 * has no AugmentSpec twin: the whole 32×32 image is resized). The text mentions "a dropout and then
 * a linear layer" for CIFAR-10 without a rate; the claim says the last layer is replaced, so the
 * head is one new Linear. Test accuracy is measured on the 10,000 CIFAR-10 test images.
 *
 * The CPU profiles keep that recipe on what a 2-core CPU can run (experiments/README.md): the two
 * pairs the document gives numbers for, 100 training and 200 test images per class (2,000 test
 * images), 64×64 input, one epoch, three seeds (the new fc's initialisation and the data order).
 */
function transferRun(profile: Profile, run: string, seed: number): RunSpec {
  const quick = profile !== 'paper';
  return {
    experiment: ID, name: runName(run, seed), model: run, init: {pretrained: weightsOf(run)},
    data: quick ? {name: 'cifar10', trainPerClass: 100, testPerClass: 200} : {name: 'cifar10'},
    augment: {resize: quick ? 64 : 224, hflip: true, normalize: 'imagenet'},
    optimizer: {type: 'sgd', lr: 0.001, momentum: 0.9, weightDecay: 0}, schedule: {type: 'constant'},
    loss: 'cross-entropy', epochs: quick ? 1 : 5, batchSize: 8, seed,
  };
}

/** How the quick runs differ from the paper's, read from their spec. */
function quickDeviation(): string {
  const s = transferRun('quick', NETS[0].run, 1);
  return `quick profile: ${s.epochs} epoch${s.epochs === 1 ? '' : 's'} on ${s.data.trainPerClass} training and ${s.data.testPerClass} test ` +
    `images per class of CIFAR-10 at ${s.augment.resize}×${s.augment.resize} (paper profile: 5 epochs on all 50,000/10,000 at 224×224)`;
}

/** What is missing for the transfer runs (weights files, CIFAR-10) and the command that gets it and runs D. */
function missing(profile: Profile, ctx: ExperimentContext): NotRun | undefined {
  const absent = NETS.map((n) => weightsOf(n.run)).filter((w) => !ctx.weightsPresent.includes(w));
  const noCifar = ctx.data.name !== 'cifar10' || !ctx.data.present;
  if (absent.length === 0 && !noCifar) return undefined;
  const what: string[] = [];
  if (absent.length) {
    const mb = absent.reduce((a, w) => a + pretrainedInfo(w).approxMB, 0);
    what.push(`the ImageNet weights ${absent.map((w) => pretrainedInfo(w).file).join(', ')} (≈ ${Math.round(mb)} MB; ` +
      'looked for in $REPRO_WEIGHTS_DIR, data/weights/ and torch.hub\'s cache; fetching needs the internet)');
  }
  if (noCifar) what.push('CIFAR-10 (data/cifar10 or $CIFAR10_DIR; the transfer runs have no stand-in)');
  const steps = [...(absent.length ? [fetchWeightsCommand(absent)] : []), ...(noCifar ? ['npx repro data fetch cifar10'] : []),
    `npm run reproduce -- ${profile === 'quick' ? '' : `--profile ${profile} `}--only ${ID}`];
  return {reason: `not present on this machine: ${what.join('; and ')}`, command: steps.join(' && ')};
}

export const transferExperiment: ExperimentSpec = {
  id: ID,
  title: 'D. Transfer learning from ImageNet weights (seed 004)',
  claims,
  runs: (profile) => (profile === 'smoke' ? []
    : D_SEEDS.flatMap((seed) => (profile === 'paper' ? NETS.map((n) => n.run) : QUICK_NETS).map((run) => transferRun(profile, run, seed)))),
  notRun(profile, ctx) {
    if (profile === 'smoke') {
      return {reason: 'the smoke profile (synthetic 8×8 images) has no stand-in for ImageNet-pretrained weights and CIFAR-10',
        command: `${fetchWeightsCommand(PRETRAINED.map((p) => p.name))} && npx repro data fetch cifar10 && npm run reproduce -- --only ${ID}`};
    }
    return missing(profile, ctx);
  },
  claimNotes: (profile) => (profile === 'quick' || profile === 'standard' ? Object.fromEntries(claims.map((c) => [c.id, quickDeviation()])) : {}),
  section(results, profile) {
    const done = finishedRoles(results, NETS.map((n) => n.run));
    const meanOf = (run: string, f: (m: {testError: number; trainLoss: number}) => number) => {
      const rs = done.filter((r) => r.role === run);
      return rs.length ? rs.reduce((a, r) => a + f(r.final!), 0) / rs.length : undefined;
    };
    const rows = NETS.map((n) => {
      const acc = meanOf(n.run, (m) => 1 - m.testError), loss = meanOf(n.run, (m) => m.trainLoss);
      return {model: n.label, ...(acc !== undefined && loss !== undefined ? {testAccuracy: acc, trainLoss: loss} : {}),
        ...('paperAccuracy' in n ? {paperAccuracy: n.paperAccuracy, paperLoss: n.paperLoss} : {})};
    });
    const paragraphs = [
      'Seed 004 fine-tunes torchvision\'s ImageNet-pretrained nets (here: the IMAGENET1K_V1 weights, timm\'s *.tv_in1k, ' +
      'loaded from torchvision\'s .pth files) with the last layer replaced, 5 epochs on CIFAR-10. It states that test accuracy rises ' +
      'and training loss falls with depth (ResNet-18 93.2% / 0.19, ResNet-152 96.5% / 0.07) and that ResNeXt-50 beats ResNet-50. ' +
      'It names no optimiser: we use PyTorch\'s fine-tuning tutorial recipe (SGD lr 0.001, momentum 0.9, batch 8, all layers trained).',
    ];
    if (profile !== 'paper') paragraphs.push(`${quickDeviation()}: the absolute numbers are not comparable with the paper's, only the order.`);
    const measured = NETS.filter((n) => done.some((r) => r.role === n.run));
    return {
      paragraphs,
      figures: [{id: 'd-accuracy-by-depth', caption: 'CIFAR-10 test accuracy after fine-tuning, by depth (hollow: the paper)' +
          (measured.length ? '' : '; ours not run here'),
        spec: accuracyByDepthFigure({
          ours: done.map((r) => ({depth: NETS.find((n) => n.run === r.role)!.depth, family: NETS.find((n) => n.run === r.role)!.family,
            accuracy: 1 - r.final!.testError})),
          paper: NETS.flatMap((n) => ('paperAccuracy' in n ? [{depth: n.depth, family: n.family, accuracy: n.paperAccuracy}] : [])),
          yTitle: 'CIFAR-10 test accuracy (%)'})}],
      tables: [transferTable({id: 'd-transfer', caption: `Transfer learning to CIFAR-10: ours (${profile} profile, mean over seeds) beside the paper (5 epochs)`, rows})],
    };
  },
};
