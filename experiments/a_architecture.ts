import * as tf from '@tensorflow/tfjs';
import type {Claim} from '../src/claims/claim';
import {withSyncReads} from '../src/engine/sync_reads';
import {countMacs, countParams} from '../src/models/count';
import {modelConfig, buildModel} from '../src/models/registry';
import {barByVariantFigure} from '../src/report/figures/bar_by_variant';
import {toleranceBarsFigure} from '../src/report/figures/tolerance_bars';
import type {ReportTable} from '../src/report/model';
import {REFERENCE_MODELS, REFERENCE_SIZE, SYSTEM_PYTHON, torchvisionMaxAbsDiff, torchvisionReferenceDir} from '../src/models/torchvision_reference';
import type {ExperimentSpec} from './types';

/** Params and multiply-adds of a model built with zero weights; memoised (A's claims and its section share them). */
const countsCache = new Map<string, {params: number; macs: number}>();
export function modelCounts(name: string): {params: number; macs: number} {
  let c = countsCache.get(name);
  if (!c) {
    const model = buildModel(name, {initialize: false});
    try { c = {params: countParams(model), macs: countMacs(model)}; } finally { model.dispose(); }
    countsCache.set(name, c);
  }
  return c;
}

export const PAPER_PARAMS: Readonly<Record<string, number>> = {
  resnet18: 11_689_512, resnet34: 21_797_672, resnet50: 25_557_032, resnet101: 44_549_160, resnet152: 60_192_808,
  resnext50_32x4d: 25_028_904,
};

/**
 * Paper FLOPs (multiply-adds). The paper's bottleneck nets put the stride in the first 1×1 (our
 * `_v1`); torchvision's v1.5 resnet50 costs 4.09 G, which is why the v1 variants are measured.
 */
export const PAPER_MACS: Readonly<Record<string, number>> = {
  resnet18: 1.8e9, resnet34: 3.6e9, resnet50_v1: 3.8e9, resnet101_v1: 7.6e9, resnet152_v1: 11.3e9, vgg19: 19.6e9, vgg16: 15.3e9,
};
const MACS_TOLERANCE = 0.05;

/** Table 6 of the original paper, in millions. */
export const PAPER_CIFAR_PARAMS_M: Readonly<Record<string, number>> = {
  resnet20: 0.27, resnet32: 0.46, resnet44: 0.66, resnet56: 0.85, resnet110: 1.7, resnet1202: 19.4,
};

/** Parameters a projection shortcut adds: a 1×1 conv (no bias) plus BN's gamma and beta. */
function projectionParams(cin: number, cout: number): number {
  return cin * cout + 2 * cout;
}

/** Expected extra parameters of option B/C over A for a CIFAR 6n+2 net, from its config (every block's in/out channels). */
export function expectedShortcutParams(name: string, option: 'B' | 'C'): number {
  const cfg = modelConfig(name);
  if (cfg.family === 'vgg' || cfg.family === 'cnn') throw new Error(`${name} is not a ResNet`);
  let cin = cfg.stem.filters, extra = 0;
  for (const stage of cfg.stages) {
    for (let b = 0; b < stage.blocks; b++) {
      const stride = b === 0 ? stage.stride : 1;
      const changes = cin !== stage.filters || stride !== 1;
      if (option === 'C' || changes) extra += projectionParams(cin, stage.filters);
      cin = stage.filters;
    }
  }
  return extra;
}

/** ((n + 2p − f) / s) + 1, floored (004 "ResNet Architecture"). */
export function convOutputSize(n: number, f: number, s: number, p: number): number {
  return Math.floor((n + 2 * p - f) / s) + 1;
}

/** The same shapes from real tfjs ops (explicit padding, 'valid' conv/pool) on a 300×300 input. */
function measuredStemShapes(): [number, number] {
  return tf.tidy(() => {
    const x = tf.zeros([1, 300, 300, 1]) as tf.Tensor4D;
    const conv = tf.conv2d(tf.pad(x, [[0, 0], [3, 3], [3, 3], [0, 0]]), tf.zeros([7, 7, 1, 1]) as tf.Tensor4D, 2, 'valid');
    const pool = tf.maxPool(tf.pad(conv, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 2, 'valid');
    return [conv.shape[1], pool.shape[1]];
  });
}

/** Log-probabilities of resnet18_seqhead on one 224×224 input: |Σ exp − 1|. */
function seqheadSumError(): number {
  return withSyncReads(seqheadSumErrorHere);
}

function seqheadSumErrorHere(): number {
  const model = buildModel('resnet18_seqhead', {seed: 0});
  try {
    return tf.tidy(() => {
      const x = tf.randomNormal([1, 224, 224, 3], 0, 1, 'float32', 7);
      const out = model.predict(x) as tf.Tensor;
      return Math.abs(tf.sum(tf.exp(out)).dataSync()[0] - 1);
    });
  } finally {
    model.dispose();
  }
}

/** `x` rounded to as many decimals as `like` is written with. */
function roundLike(x: number, like: number): number {
  const decimals = (String(like).split('.')[1] ?? '').length;
  return Number(x.toFixed(decimals));
}

const cifarNets = () => Object.keys(PAPER_CIFAR_PARAMS_M);

const claims: readonly Claim[] = [
  {id: 'A1', statement: 'torchvision-layout ImageNet ResNets have exactly the published parameter counts',
    source: {doc: '004 (torchvision models), 002', where: '§3.3'},
    measure: () => Object.entries(PAPER_PARAMS).filter(([n, p]) => modelCounts(n).params !== p).length,
    expected: {holds: 'approx', paper: 0, paperText: 'resnet18 11,689,512 … resnext50 25,028,904 (mismatches: 0)', unit: ''}},
  {id: 'A2', statement: 'Multiply-add FLOPs at 224×224 (ResNet-18 1.8G … 152 11.3G, VGG-19 19.6G; ResNet-34/VGG-19 ≈ 18%), ' +
      'convolutions and fully connected layers only',
    source: {doc: '002 and the original paper', where: '§3.3, Table 1'},
    measure: () => modelCounts('resnet34').macs / modelCounts('vgg19').macs,
    expected: {holds: 'approx', paper: 3.6 / 19.6, tolerance: {rel: MACS_TOLERANCE}, unit: '%'}},
  {id: 'A3', statement: 'CIFAR ResNets (6n+2, option A) have 0.27M (20) … 1.7M (110), 19.4M (1202) parameters',
    source: {doc: 'original paper', where: 'Table 6'},
    // Ours rounded to the paper's precision (0.27, 1.7, 19.4) must equal the paper's number.
    measure: () => cifarNets().filter((n) => roundLike(modelCounts(n).params / 1e6, PAPER_CIFAR_PARAMS_M[n]) !== PAPER_CIFAR_PARAMS_M[n]).length,
    expected: {holds: 'approx', paper: 0, paperText: '20: 0.27M … 1202: 19.4M (mismatches beyond rounding: 0)', unit: ''}},
  {id: 'A4', statement: 'Identity shortcuts add no parameters; projections (B at dimension changes, C everywhere) add exactly the 1×1 convs + BN',
    source: {doc: '002', where: '§3.2–3.3'},
    measure: () => modelCounts('resnet20').params === modelCounts('plain20').params
      && modelCounts('resnet20_B').params - modelCounts('resnet20').params === expectedShortcutParams('resnet20', 'B')
      && modelCounts('resnet20_C').params - modelCounts('resnet20').params === expectedShortcutParams('resnet20', 'C'),
    expected: {holds: 'true', paperText: 'A adds 0; B and C counted exactly'}},
  {id: 'A5', statement: 'conv 7×7/2 pad 3 then max-pool 3×3/2 maps 300×300 → 150×150 → 75×75',
    source: {doc: '004', where: '"ResNet Architecture"'},
    measure: () => {
      const [conv, pool] = measuredStemShapes();
      const c = convOutputSize(300, 7, 2, 3), p = convOutputSize(c, 3, 2, 1);
      return conv === 150 && pool === 75 && c === 150 && p === 75;
    },
    expected: {holds: 'true', paperText: '150 then 75'}},
  {id: 'A6', statement: 'ResNet-18 + the sequential head outputs log-probabilities on 224×224×3 (Σ exp = 1)',
    source: {doc: '000', where: '§III'},
    measure: () => seqheadSumError(),
    expected: {holds: 'lt', threshold: 1e-5, paperText: 'exact (|Σ exp − 1| below 1e-5)'}},
];

const fmt = (n: number) => n.toLocaleString('en-US');

export const architectureExperiment: ExperimentSpec = {
  id: 'A',
  title: 'A. Architecture facts',
  claims,
  runs: () => [],
  notRun: () => undefined,
  claimNotes: () => ({
    A2: `counted as multiply-adds of convolutions and fully connected layers; bottleneck nets as the paper's v1 (stride in the first 1×1)`,
  }),
  section() {
    const paramRows = Object.entries(PAPER_PARAMS).map(([n, p]) => [n, fmt(modelCounts(n).params), fmt(p),
      modelCounts(n).params === p ? 'exact' : 'DIFFERS']);
    const macRows = Object.entries(PAPER_MACS).map(([n, p]) => {
      const ours = modelCounts(n).macs;
      const rel = ours / p - 1;
      return [n, (ours / 1e9).toFixed(2), (p / 1e9).toFixed(1), `${(rel * 100).toFixed(1)}%`, Math.abs(rel) <= MACS_TOLERANCE ? 'yes' : 'NO'];
    });
    const cifarRows = cifarNets().map((n) => [n, (modelCounts(n).params / 1e6).toFixed(3), PAPER_CIFAR_PARAMS_M[n].toFixed(2)]);
    const tables: ReportTable[] = [
      {id: 'a1-params', caption: 'A1: parameter counts (torchvision convention: weights and biases incl. BN affine, no running statistics)',
        columns: [{label: 'model', align: 'left'}, {label: 'ours', align: 'right'}, {label: 'paper', align: 'right'}, {label: '', align: 'left'}],
        rows: paramRows},
      {id: 'a2-macs', caption: 'A2: multiply-adds at 224×224 (G), ±5% tolerance',
        columns: [{label: 'model', align: 'left'}, {label: 'ours', align: 'right'}, {label: 'paper', align: 'right'},
          {label: 'difference', align: 'right'}, {label: 'within 5%', align: 'left'}],
        rows: macRows},
      {id: 'a3-cifar', caption: `A3: CIFAR ResNets (option A), millions of parameters`,
        columns: [{label: 'model', align: 'left'}, {label: 'ours', align: 'right'}, {label: 'paper', align: 'right'}],
        rows: cifarRows},
      {id: 'a4-shortcuts', caption: 'A4: parameters added by the shortcut options on the 20-layer CIFAR net',
        columns: [{label: 'option', align: 'left'}, {label: 'measured extra', align: 'right'}, {label: 'expected (1×1 convs + BN)', align: 'right'}],
        rows: [['A (identity / zero pad)', fmt(modelCounts('resnet20').params - modelCounts('plain20').params), '0'],
          ...(['B', 'C'] as const).map((o) => [o, fmt(modelCounts(`resnet20_${o}`).params - modelCounts('resnet20').params),
            fmt(expectedShortcutParams('resnet20', o))])]},
    ];
    const figure = barByVariantFigure({
      bars: Object.entries(PAPER_MACS).flatMap(([n, p]) => [{variant: n, group: 'ours', value: modelCounts(n).macs / 1e9},
        {variant: n, group: 'paper', value: p / 1e9}]),
      xTitle: 'model', yTitle: 'multiply-adds (G)', percent: false,
    });
    return {
      paragraphs: [
        'Measured from the models the toolkit builds (src/models), not from training: every profile gives the same numbers.',
        `ResNet-18 with the sequential head has ${fmt(modelCounts('resnet18_seqhead').params)} parameters (A6).`,
      ],
      figures: [{id: 'a2-flops', caption: 'A2: multiply-adds at 224×224, ours beside the paper', spec: figure}],
      tables,
    };
  },
};


const A7_TOLERANCE = 1e-4;

const diffsByBackend = new Map<string, Map<string, number>>();
/**
 * max |ours − torchvision| per reference model, computed once per process and engine (claim and
 * figure share it; the last digits depend on the engine, so a value from another is not reused).
 */
function torchvisionDiffs(): Map<string, number> {
  const backend = tf.getBackend();
  const cached = diffsByBackend.get(backend);
  if (cached) return cached;
  const ref = torchvisionReference();
  if (!('dir' in ref)) throw new Error(ref.why);
  const diffs = new Map(REFERENCE_MODELS.map((n) => [n, torchvisionMaxAbsDiff(n, ref.dir)]));
  diffsByBackend.set(backend, diffs);
  return diffs;
}

let reference: {dir: string} | {why: string} | undefined;
/** The torchvision reference (exported once per process; cached on disk across processes). */
function torchvisionReference(): {dir: string} | {why: string} {
  reference ??= torchvisionReferenceDir();
  return reference;
}

/**
 * A7: random torchvision weights exported by scripts/export_torchvision.py (Debian's PyTorch),
 * imported into our models, outputs compared on the same input. The same comparison is the test
 * test/models/torchvision_equivalence.test.ts. Not run when /usr/bin/python3 lacks torch.
 */
export const torchvisionExperiment: ExperimentSpec = {
  id: 'A7',
  title: 'A7. Fidelity to torchvision',
  claims: [
    {id: 'A7', statement: 'A randomly initialised model imported from a torchvision state dict gives the same outputs as torchvision',
      source: {doc: 'fidelity of A1–A6', where: 'scripts/export_torchvision.py'},
      measure: () => Math.max(...torchvisionDiffs().values()),
      expected: {holds: 'lt', threshold: A7_TOLERANCE, paperText: 'max abs diff ≤ 1e-4 (ResNet-18, -50, ResNeXt-50)'}},
  ],
  runs: () => [],
  notRun: () => {
    const ref = torchvisionReference();
    return 'why' in ref ? {reason: ref.why, command: 'apt-get install python3-torch python3-torchvision && npm run reproduce -- --only A7'} : undefined;
  },
  section: () => {
    const ref = torchvisionReference();
    const diffs = 'dir' in ref ? torchvisionDiffs() : undefined;
    return {
      paragraphs: [`Random torchvision weights are exported by scripts/export_torchvision.py (${SYSTEM_PYTHON}), imported, and the ` +
        `outputs compared on one ${REFERENCE_SIZE}×${REFERENCE_SIZE} input in eval mode (ResNet-18, ResNet-50, ResNeXt-50): the claim's value is the ` +
        'largest absolute difference of the three.', ...('why' in ref ? [`Not run here: ${ref.why}.`] : [])],
      figures: diffs ? [{id: 'a7-fidelity', caption: `A7: largest |ours − torchvision| over the ${REFERENCE_SIZE}×${REFERENCE_SIZE} input's logits, per model (log scale), against the 1e-4 tolerance`,
        spec: toleranceBarsFigure({bars: [...diffs].map(([label, value]) => ({label, value})), tolerance: A7_TOLERANCE,
          xTitle: 'model', yTitle: 'max |Δ| (log scale)'})}] : [],
      tables: diffs ? [{id: 'a7-diffs', caption: 'A7: max absolute difference per model',
        columns: [{label: 'model', align: 'left'}, {label: 'max |ours − torchvision|', align: 'right'}, {label: `< ${A7_TOLERANCE}`, align: 'left'}],
        rows: [...diffs].map(([n, d]) => [n, d.toExponential(2), d < A7_TOLERANCE ? 'yes' : 'NO'])}] : [],
    };
  },
};
