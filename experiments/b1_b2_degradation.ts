import type {Claim, RunResults} from '../src/claims/claim';
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

type Split = 'trainError' | 'testError';
/** Final error of `a` minus that of `b`, in one seed's runs. */
const diff = (split: Split, a: string, b: string) => (r: RunResults, seed: number) => seedFinal(r, a, seed)[split] - seedFinal(r, b, seed)[split];

const claims: readonly Claim[] = [
  {id: 'B1', statement: 'Degradation: plain-56 has higher training and higher test error than plain-20, a depth penalty that ' +
      'residual nets do not pay (difference in differences)',
    source: {doc: '002', where: 'Fig. 1, §I'},
    effects: [
      {name: 'training error plain56 − plain20', perSeed: diff('trainError', 'plain56', 'plain20'), rule: {kind: 'above', threshold: 0}},
      {name: 'test error plain56 − plain20', perSeed: diff('testError', 'plain56', 'plain20'), rule: {kind: 'above', threshold: 0}},
      {name: 'training error (plain56 − plain20) − (resnet56 − resnet20)',
        perSeed: (r, s) => diff('trainError', 'plain56', 'plain20')(r, s) - diff('trainError', 'resnet56', 'resnet20')(r, s),
        rule: {kind: 'above', threshold: 0}},
    ],
    expected: {holds: 'gt', threshold: 0, paperText: 'curves only (Fig. 1): plain-56 above plain-20 in training and test error', unit: '%'}},
  {id: 'B2', statement: 'Residual nets do not degrade: ResNet-56 trains to lower training error than ResNet-20 and beats plain-56 on test',
    source: {doc: '002', where: '§I "Our findings"'},
    effects: [
      {name: 'training error resnet20 − resnet56', perSeed: diff('trainError', 'resnet20', 'resnet56'), rule: {kind: 'above', threshold: 0}},
      {name: 'test error plain56 − resnet56', perSeed: diff('testError', 'plain56', 'resnet56'), rule: {kind: 'above', threshold: 0}},
    ],
    expected: {holds: 'gt', threshold: 0, paperText: 'test error ResNet-20 8.75%, ResNet-56 6.97%, ResNet-110 6.43%', unit: '%'}},
];

export const degradationExperiment: ExperimentSpec = {
  id: ID,
  title: 'B1/B2. Degradation of plain nets; residual nets do not degrade',
  claims,
  runs: (_p, ctx) => seededRuns(ctx, NETS.map((model) => ({experiment: ID, name: model, model, ...DEPTH_BUDGET[ctx.profile]}))),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  shortBudget: (profile) => {
    if (profile === 'paper') return undefined;
    const steps = profile === 'smoke' ? 'a few steps' : `${runIterations(cifarRun(experimentContextFor(profile),
      {experiment: ID, name: 'x', model: 'resnet20', seed: 1, ...DEPTH_BUDGET[profile]})).toLocaleString('en-US')} steps`;
    return profile === 'standard'
      ? `standard trains ${steps}, an eighth of the paper's 64k and the most the 10-hour envelope allows (experiments/README.md, ` +
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
      tables: done.length ? [{id: 'b1b2-final', caption: 'Final errors per seed (last epoch)',
        columns: [{label: 'model', align: 'left'}, {label: 'seed', align: 'right'}, {label: 'train error', align: 'right'},
          {label: 'test error', align: 'right'}, {label: 'paper test error', align: 'right'}],
        rows: done.map((r) => [r.role, String(r.spec.seed), pct(r.final!.trainError), pct(r.final!.testError),
          r.role.startsWith('resnet') ? `${PAPER_TEST_ERROR[Number(r.role.slice(6))]}%` : '—'])}] : [],
    };
  },
};

export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * Why a short profile leaves B1/B2 undecided, with PyTorch's result on the same kind of recipe:
 * the reader of the report (not only of the README) must see that the gap is the budget's.
 */
function shortBudgetParagraph(results: RunResults, profile: Profile): string[] {
  const why = degradationExperiment.shortBudget?.(profile);
  if (!why) return [];
  const seeds = [...new Set(finishedRoles(results, ['resnet20', 'resnet56']).map((r) => r.spec.seed))];
  const paired = seeds.filter((s) => results.get(`resnet20.s${s}`)?.final && results.get(`resnet56.s${s}`)?.final);
  const behind = paired.filter((s) => seedFinal(results, 'resnet56', s).trainError > seedFinal(results, 'resnet20', s).trainError);
  const measured = paired.length ? `Here ResNet-56 ends behind ResNet-20 in training error in ${behind.length} of ${paired.length} seeds (table below). ` : '';
  if (profile === 'standard') {
    // Standard can decide B1/B2 (reproduced); only an interval on the opposite side is read as the budget's.
    return [`The budget: ${why}. ${measured}An interval on the opposite side reads inconclusive here, never "not reproduced": ` +
      'the pilots (experiments/README.md) show ResNet-56\'s gap to ResNet-20 shrinking as its training improves (6 points without ' +
      'the warm-up, 1.5 with it, at 3,925 steps), and a third pilot at 15,700 steps (100 epochs) closes it for seed 1: the two nets\' ' +
      'training errors over its last 10 epochs differ by 0.07 points on average, a fifth of the seed-to-seed spread (0.37). If ' +
      'other seeds agree, deciding B2 at that length would take on the order of 100 seeds, beyond any CPU budget: a longer schedule ' +
      'decides it, the paper profile\'s 64k steps (a fourth pilot, seed 2 at 100 epochs, checks the one-seed reading).'];
  }
  return [`Why B1 and B2 are not decided at ${profile} size: ${why}. ${measured}` +
    'A 56-layer net at lr 0.1 needs far more steps than a 20-layer one before depth pays, on any engine: PyTorch on the earlier ' +
    'quick recipe (790 steps on 10,000 images, scripts/torch_quick_b1b2.py) ended ResNet-56 at 21.0, 27.3 and 23.5% training error ' +
    'over seeds 1–3 against ResNet-20\'s 13.9% (ours: 32.7, 22.7 and 22.2%). The shortfall is the budget\'s, not the engine\'s; ' +
    'the standard profile (7,850 steps on 20,000 images with the paper\'s warm-up, sized by pilots: experiments/README.md) is the longest ' +
    'budget a CPU gets for B1 and B2, and the paper profile (64k steps, a GPU) their own setting.'];
}
