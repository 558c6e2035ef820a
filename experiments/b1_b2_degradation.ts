import type {Claim, Look, RunResults} from '../src/claims/claim';
import {roleOf, seedsOfRoles} from '../src/claims/evaluate';
import {tInterval} from '../src/claims/stats';
import {errorByDepthFigure} from '../src/report/figures/error_by_depth';
import {errorCurvesFigure} from '../src/report/figures/error_curves';
import type {ReportFigure} from '../src/report/model';
import {experimentContextFor, mainDataNotRun} from './data_choice';
import {cifarRun, DEPTH_BUDGET, runIterations, seededRuns} from './recipe';
import type {Profile} from './profile';
import {finishedRoles, seedFinal, type ExperimentSpec} from './types';

const ID = 'B1B2';
const NETS = ['plain20', 'plain56', 'resnet20', 'resnet56'] as const;

/** CIFAR-10 test error (%) of the original paper, Table 6 (ResNet-110: best of 5). */
export const PAPER_TEST_ERROR: Readonly<Record<number, number>> = {20: 8.75, 32: 7.51, 44: 7.17, 56: 6.97, 110: 6.43, 1202: 7.93};

/**
 * B2's training-error half in the standard profile: ResNet-20 and ResNet-56 at 100 epochs (15,700
 * steps, the same warm-up), where 50 epochs left ResNet-56 still converging. The pilot's seeds 1 and 2
 * chose this budget and its seed count (experiments/README.md); the decision is taken on seeds they
 * did not see: 3–10 at the first look, 3–18 at the second (B2_SECOND_LOOK).
 */
const B2_LONG = {epochs: 100, warmup: DEPTH_BUDGET.standard!.warmup, seeds: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]} as const;
/** "3–18": the long pair's seeds as the report and the claim's note name them. */
const B2_LONG_SEEDS = `${B2_LONG.seeds[0]}–${B2_LONG.seeds[B2_LONG.seeds.length - 1]}`;
/**
 * Seeds 3–10 were the first look (95%: inconclusive, +0.33 points [−0.09, +0.75]). Seeds 11–18 were
 * added as fixed in experiments/README.md before any of them trained, and all 16 are decided at
 * 97.5%: the two looks together call a wrong `reproduced` (or `not reproduced`) at most
 * 2.5% + 1.25% = 3.75% of the time, one-sided (Bonferroni). There is no third look.
 */
const B2_FIRST_LOOK_SEEDS: readonly number[] = [3, 4, 5, 6, 7, 8, 9, 10];
const B2_SECOND_LOOK: Look = {level: 0.975,
  why: 'the second of two looks at the 100-epoch pair: seeds 3–10 at 95% were inconclusive, all 16 are decided at 97.5%, so that ' +
    'the two together decide wrongly at most 3.75% of the time, one-sided (Bonferroni)',
  afterLast: 'more seeds would be a third look, which the design (experiments/README.md) does not take; the paper profile ' +
    '(64k steps on CIFAR-10, a GPU) is its own setting and would decide it'};
const LONG_PAIR = ['resnet20_e100', 'resnet56_e100'] as const;
const SHORT_PAIR = ['resnet20', 'resnet56'] as const;
/** The pair B2's training-error half reads: the long pair where the profile trains it (standard), else the 20/56 of B1's budget. */
const b2Pair = (r: RunResults): readonly [string, string] =>
  [...r.values()].some((run) => (LONG_PAIR as readonly string[]).includes(roleOf(run.spec.name))) ? LONG_PAIR : SHORT_PAIR;

type Split = 'trainError' | 'testError';
/** Final error of `a` minus that of `b`, in one seed's runs. */
const diff = (split: Split, a: string, b: string) => (r: RunResults, seed: number) => seedFinal(r, a, seed)[split] - seedFinal(r, b, seed)[split];

const claims: readonly Claim[] = [
  {id: 'B1', statement: 'Degradation: plain-56 has higher training and higher test error than plain-20, a depth penalty that ' +
      'residual nets do not pay (difference in differences)',
    source: {doc: '002', where: 'Fig. 1, §I'},
    effects: [
      {name: 'training error plain56 − plain20', perSeed: diff('trainError', 'plain56', 'plain20'), rule: {kind: 'above', threshold: 0}, roles: NETS},
      {name: 'test error plain56 − plain20', perSeed: diff('testError', 'plain56', 'plain20'), rule: {kind: 'above', threshold: 0}, roles: NETS},
      {name: 'training error (plain56 − plain20) − (resnet56 − resnet20)',
        perSeed: (r, s) => diff('trainError', 'plain56', 'plain20')(r, s) - diff('trainError', 'resnet56', 'resnet20')(r, s),
        rule: {kind: 'above', threshold: 0}, roles: NETS},
    ],
    expected: {holds: 'gt', threshold: 0, paperText: 'curves only (Fig. 1): plain-56 above plain-20 in training and test error', unit: '%'}},
  {id: 'B2', statement: 'Residual nets do not degrade: ResNet-56 trains to lower training error than ResNet-20 and beats plain-56 on test',
    source: {doc: '002', where: '§I "Our findings"'},
    effects: [
      {name: 'training error resnet20 − resnet56', perSeed: (r, s) => diff('trainError', ...b2Pair(r))(r, s), rule: {kind: 'above', threshold: 0},
        roles: [...SHORT_PAIR, ...LONG_PAIR], seeds: (r) => seedsOfRoles(r, b2Pair(r)),
        look: (r) => (b2Pair(r) === LONG_PAIR ? B2_SECOND_LOOK : undefined)},
      {name: 'test error plain56 − resnet56', perSeed: diff('testError', 'plain56', 'resnet56'), rule: {kind: 'above', threshold: 0},
        roles: ['plain56', 'resnet56']},
    ],
    expected: {holds: 'gt', threshold: 0, paperText: 'test error ResNet-20 8.75%, ResNet-56 6.97%, ResNet-110 6.43%', unit: '%'}},
];

export const degradationExperiment: ExperimentSpec = {
  id: ID,
  title: 'B1/B2. Degradation of plain nets; residual nets do not degrade',
  claims,
  runs: (_p, ctx) => [
    ...seededRuns(ctx, NETS.map((model) => ({experiment: ID, name: model, model, ...DEPTH_BUDGET[ctx.profile]}))),
    ...(ctx.profile === 'standard'
      ? seededRuns(ctx, LONG_PAIR.map((name) => ({experiment: ID, name, model: name.replace('_e100', ''), epochs: B2_LONG.epochs,
        warmup: B2_LONG.warmup})), B2_LONG.seeds)
      : []),
  ],
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  claimNotes: (profile) => (profile === 'standard' ? {B2: `training-error half on ResNet-20/56 at ${B2_LONG.epochs} epochs, ` +
      `seeds ${B2_LONG_SEEDS} at 97.5%, the second look (the budget pilots chose it on seeds 1–2); test half on B1's runs`} : {}),
  shortBudget: (profile) => {
    if (profile === 'paper') return undefined;
    const steps = profile === 'smoke' ? 'a few steps' : `${runIterations(cifarRun(experimentContextFor(profile),
      {experiment: ID, name: 'x', model: 'resnet20', seed: 1, ...DEPTH_BUDGET[profile]})).toLocaleString('en-US')} steps`;
    const longSteps = () => runIterations(cifarRun(experimentContextFor(profile),
      {experiment: ID, name: 'x', model: 'resnet20', seed: 1, epochs: B2_LONG.epochs})).toLocaleString('en-US');
    return profile === 'standard'
      ? `standard trains ${steps} (B2's training-error half ${longSteps()}), an eighth (a quarter) of the paper's 64k (experiments/README.md, ` +
        '"Sizing the standard profile"); the claims are about nets trained to convergence: the paper profile (64k steps, a GPU) decides them'
      : `${profile} trains ${steps}; the claims are about nets trained to convergence (the paper: 64k steps): the standard profile (an eighth of them) is the longest budget a CPU gets, the paper profile their own setting`;
  },
  section(results, profile) {
    const done = finishedRoles(results, NETS);
    const figures: ReportFigure[] = [];
    for (const kind of ['plain', 'resnet'] as const) {
      const series = done.filter((r) => r.role.startsWith(kind)).map((r) => ({model: r.role, seed: r.spec.seed, history: r.history}));
      if (series.length) {
        figures.push({id: `b1b2-${kind}-curves`, caption: `${kind === 'plain' ? 'Plain' : 'Residual'} nets, every seed: training error ` +
            '(dashed) and held-out error (validation dotted, test bold) per epoch (cf. the paper\'s Fig. 1/6)',
          spec: errorCurvesFigure({series, x: 'epoch'})});
      }
    }
    const long = finishedRoles(results, LONG_PAIR);
    if (long.length) {
      figures.push({id: 'b2-long-curves', caption: `B2's training-error half: ResNet-20 and ResNet-56 at ${B2_LONG.epochs} epochs, every seed: ` +
          'training error (dashed) and held-out error (validation dotted, test bold) per epoch',
        spec: errorCurvesFigure({series: long.map((r) => ({model: r.role, seed: r.spec.seed, history: r.history})), x: 'epoch'})});
    }
    if (done.length) {
      figures.push({id: 'b2-error-by-depth', caption: 'Final test error by depth, every seed, beside the paper\'s CIFAR-10 Table 6 (hollow)',
        spec: errorByDepthFigure({
          ours: done.map((r) => ({depth: Number(r.role.replace(/\D/g, '')), variant: r.role.startsWith('plain') ? 'plain' : 'residual',
            error: r.final!.testError})),
          paper: [20, 56].map((d) => ({depth: d, variant: 'residual', error: PAPER_TEST_ERROR[d] / 100})),
          yTitle: 'test error (%)'})});
    }
    return {
      paragraphs: ['Paper (CIFAR-10, Table 6) test error: ' +
        Object.entries(PAPER_TEST_ERROR).map(([d, e]) => `ResNet-${d} ${e}%`).join(', ') + ' (ResNet-110: best of 5; 6.61±0.16 mean).',
      'Every net of a seed shares that seed\'s data order and augmentation draws, so the effects are paired by seed. ' +
        'B1 also asks for the difference in differences: a depth penalty that the residual pair does not pay as much, so that ' +
        'a budget too short for any 56-layer net is not read as plain-specific degradation.',
      ...shortBudgetParagraph(results, profile)],
      figures,
      tables: done.length + long.length ? [{id: 'b1b2-final', caption: 'Final errors per seed (last epoch)',
        columns: [{label: 'model', align: 'left'}, {label: 'epochs', align: 'right'}, {label: 'seed', align: 'right'},
          {label: 'train error', align: 'right'}, {label: 'test error', align: 'right'}, {label: 'paper test error', align: 'right'}],
        rows: [...done, ...long].map((r) => [r.role, String(r.spec.epochs), String(r.spec.seed), pct(r.final!.trainError),
          pct(r.final!.testError), r.role.startsWith('resnet') ? `${PAPER_TEST_ERROR[parseInt(r.role.slice(6), 10)]}%` : '—'])}] : [],
    };
  },
};

export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The first look at the 100-epoch pair, from the results: " gave +0.33 points [−0.09, +0.75]" (empty while its seeds train). */
function firstLook(results: RunResults): string {
  const seeds = seedsOfRoles(results, LONG_PAIR).filter((s) => B2_FIRST_LOOK_SEEDS.includes(s));
  if (seeds.length < B2_FIRST_LOOK_SEEDS.length) return '';
  const iv = tInterval(seeds.map((s) => diff('trainError', ...LONG_PAIR)(results, s)));
  const points = (x: number) => `${x > 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;
  return ` gave ${points(iv.estimate)} points [${points(iv.ci[0])}, ${points(iv.ci[1])}]`;
}

/**
 * Why a short profile leaves B1/B2 undecided, with PyTorch's result on the same kind of recipe:
 * the reader of the report (not only of the README) must see that the gap is the budget's.
 */
function shortBudgetParagraph(results: RunResults, profile: Profile): string[] {
  const why = degradationExperiment.shortBudget?.(profile);
  if (!why) return [];
  const behindIn = (pair: readonly [string, string], label: string) => {
    const paired = seedsOfRoles(results, pair);
    const behind = paired.filter((s) => seedFinal(results, pair[1], s).trainError > seedFinal(results, pair[0], s).trainError);
    return paired.length ? `${label}ResNet-56 ends behind ResNet-20 in training error in ${behind.length} of ${paired.length} seeds (table below). ` : '';
  };
  const measured = behindIn(SHORT_PAIR, 'Here ');
  if (profile === 'standard') {
    // Standard can decide B1/B2 (reproduced); only an interval on the opposite side is read as the budget's.
    return [`The budget: ${why}. ${measured}${behindIn(LONG_PAIR, `At ${B2_LONG.epochs} epochs `)}An interval on the opposite side ` +
      'reads inconclusive here, never "not reproduced". The pilots (experiments/README.md) showed ResNet-56\'s gap to ResNet-20 ' +
      'shrinking as its training lengthened (6 points behind without the warm-up and 1.5 with it at 3,925 steps, 0.5 at 7,850) and ' +
      'closing or reversing at 15,700 steps (100 epochs: ResNet-56 ahead by 0.07 and 0.91 points over the last 10 epochs of seeds 1 ' +
      'and 2). ' +
      `So B2's training-error half is tested at 100 epochs, on seeds ${B2_LONG_SEEDS}, which the pilot did not see, in two looks: ` +
      `seeds 3–10 (the pilot sized them at about 8) at 95%${firstLook(results)}, then all 16 at 97.5% (seeds 11–18 were fixed before ` +
      'any of them trained), so that the two looks together keep their error rate (Bonferroni). Its test half reads B1\'s runs.'];
  }
  return [`Why B1 and B2 are not decided at ${profile} size: ${why}. ${measured}` +
    'A 56-layer net at lr 0.1 needs far more steps than a 20-layer one before depth pays, on any engine: PyTorch on the earlier ' +
    'quick recipe (790 steps on 10,000 images, scripts/torch_quick_b1b2.py) ended ResNet-56 at 21.0, 27.3 and 23.5% training error ' +
    'over seeds 1–3 against ResNet-20\'s 13.9% (ours: 32.7, 22.7 and 22.2%). The shortfall is the budget\'s, not the engine\'s; ' +
    'the standard profile (7,850 steps on 20,000 images with the paper\'s warm-up, sized by pilots: experiments/README.md) is the longest ' +
    'budget a CPU gets for B1 and B2, and the paper profile (64k steps, a GPU) their own setting.'];
}
