import type {Claim, RunResults} from '../src/claims/claim';
import {gradientNormsFigure} from '../src/report/figures/gradient_norms';
import {mainDataNotRun} from './data_choice';
import {seededRuns} from './recipe';
import {finishedRoles, type ExperimentSpec} from './types';

const ID = 'B5';
/** The claim's setting (004 "Challenges", 000 §II): sigmoid activations, no batch normalisation. */
const SIGMOID = {plain: 'plain56_sigmoid_nobn', resnet: 'resnet56_sigmoid_nobn'} as const;
/** The control: the same depth with BN and ReLU, where He et al. §4.1 report healthy gradients in plain nets too. */
const CONTROL = {plain: 'plain56', resnet: 'resnet56'} as const;
/** Initialisation seeds and batches: cheap (one gradient at initialisation per run). */
const B5_SEEDS = [1, 2, 3, 4, 5] as const;
/** "Orders of magnitude": at least one decade between the first-layer gradient norms. */
export const B5_DECADES = 1;
/** float32's smallest subnormal: a norm that underflowed to 0 is at most this. */
const FLOAT32_TINY = 1.4e-45;

/** Max of σ'(x) = σ(x)(1 − σ(x)) on a fine grid over [−20, 20]: 0.25, at x = 0. */
export function maxSigmoidDerivative(): number {
  let best = 0;
  for (let i = -200000; i <= 200000; i++) {
    const s = 1 / (1 + Math.exp(-i / 10000));
    best = Math.max(best, s * (1 - s));
  }
  return best;
}

/** Gradient norm of the first weighted layer (index 0) at initialisation, in the run of `role` and `seed`. */
function firstLayerNorm(results: RunResults, role: string, seed: number): number {
  const name = `${role}.s${seed}`;
  const r = results.get(name);
  if (!r) throw new Error(`run "${name}" is not in the store`);
  const first = r.gradientNorms?.find((g) => g.index === 0);
  if (!first) throw new Error(`run "${name}" recorded no gradient norms`);
  return Math.max(first.norm, FLOAT32_TINY);
}

const claims: readonly Claim[] = [
  {id: 'B5', statement: 'Vanishing gradients: σ\' ≤ 0.25 so n sigmoid layers shrink a gradient like 0.25ⁿ; at initialisation a deep plain ' +
      'net\'s first-layer gradient norm is orders of magnitude below a residual net\'s (sigmoid activations, no batch normalisation)',
    source: {doc: '004, 000', where: '"Challenges", §II'},
    effects: [{name: 'log10 of the first-layer gradient norm, resnet56 / plain56 (sigmoid, no BN)',
      perSeed: (r, s) => Math.log10(firstLayerNorm(r, SIGMOID.resnet, s) / firstLayerNorm(r, SIGMOID.plain, s)),
      rule: {kind: 'above', threshold: B5_DECADES}}],
    expected: {holds: 'gt', threshold: B5_DECADES, paperText: 'orders of magnitude (> 1 decade); σ\' ≤ 0.25 exactly', unit: ''}},
];

export const gradientsExperiment: ExperimentSpec = {
  id: ID,
  title: 'B5. Vanishing gradients at initialisation: sigmoid nets without BN, and the BN + ReLU control',
  claims,
  // One epoch of 26 images per class: only the norms at initialisation (before any step) are used, measured on
  // each seed's own first batch (128 of the 260 images); no claim reads the test metrics, so 10 test images per class.
  runs: (_p, ctx) => seededRuns(ctx, [...Object.values(SIGMOID), ...Object.values(CONTROL)].map((model) => ({experiment: ID, name: model, model,
    gradientNorms: true, epochs: 1, trainPerClass: 26, testPerClass: 10})), ctx.profile === 'smoke' ? undefined : B5_SEEDS),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  section(results) {
    const max = maxSigmoidDerivative();
    const seed1 = finishedRoles(results, [...Object.values(SIGMOID), ...Object.values(CONTROL)]).filter((r) => r.spec.seed === 1);
    const series = seed1.flatMap((r) => (r.gradientNorms?.length
      ? [{model: r.role, norms: r.gradientNorms.map((g) => ({index: g.index, norm: Math.max(g.norm, FLOAT32_TINY)}))}] : []));
    // The bound's shape: from the plain sigmoid net's last weighted layer back to the input, ×0.25 per layer (weights ignored).
    const plain = series.find((s) => s.model === SIGMOID.plain);
    const reference = plain ? [{model: '0.25ⁿ from the last layer (plain, sigmoid)', norms: plain.norms.map((n) => ({index: n.index,
      norm: Math.max(plain.norms[plain.norms.length - 1].norm * 0.25 ** (plain.norms.length - 1 - n.index), FLOAT32_TINY)}))}] : [];
    return {
      paragraphs: [`Computed fact: the largest value of σ'(x) on a grid of [−20, 20] is ${max.toFixed(6)} (at x = 0), so a gradient ` +
        `through n sigmoids shrinks by at least 0.25ⁿ: ${[5, 10, 20].map((n) => `0.25^${n} = ${(0.25 ** n).toExponential(2)}`).join(', ')}.`,
        'The claim is decided in its sources\' setting: 56-layer nets with sigmoid activations and no batch normalisation (convs with ' +
        'a bias), plain vs residual, each seed with its own initialisation and its own first batch. The BN + ReLU nets are the control: ' +
        'with them He et al. §4.1 report healthy gradient norms in plain nets too, and a plain net\'s first-layer gradient can even be the larger.'],
      figures: series.length ? [{id: 'b5-gradient-norms', caption: 'Per-layer gradient norm at initialisation (log scale), from the input, ' +
          'seed 1: sigmoid nets without BN (the claim), BN + ReLU nets (the control), and the 0.25ⁿ shape',
        spec: gradientNormsFigure({series: [...series, ...reference]})}] : [],
      tables: [],
    };
  },
};
