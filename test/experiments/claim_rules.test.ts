import {strict as assert} from 'node:assert';
import {degradationExperiment} from '../../experiments/b1_b2_degradation';
import {shallowExperiment} from '../../experiments/b3_shallow';
import {gradientsExperiment} from '../../experiments/b5_gradients';
import {cnnVsResnetExperiment, curveNoise} from '../../experiments/b6_cnn_vs_resnet';
import {tinyImagenetExperiment} from '../../experiments/c_tiny_imagenet';
import {evaluateClaim} from '../../src/claims/evaluate';
import {evaluateProfile, withinBudget} from '../../src/pipeline/evaluate';
import {experimentContextFor} from '../../experiments/data_choice';
import {fakeResults, type FakeRun} from '../claims/fake_results';

const claim = (exp: {claims: readonly {id: string}[]}, id: string) => exp.claims.find((c) => c.id === id) as Parameters<typeof evaluateClaim>[0];
const SEEDS = [1, 2, 3, 4];
/** A small seed-to-seed wobble, the same for every net of a seed (paired designs cancel it). */
const wobble = (s: number) => [0.004, -0.003, 0.006, -0.002][s - 1];

/** B1/B2 runs with final (train, test) errors per net, plus each seed's wobble. */
function degradation(err: Record<'plain20' | 'plain56' | 'resnet20' | 'resnet56', [number, number]>) {
  return fakeResults(SEEDS.flatMap((seed) => Object.entries(err).map(([role, [tr, te]]): FakeRun =>
    ({role, seed, trainError: tr + wobble(seed), testError: te + wobble(seed)}))));
}

describe('experiments: each claim\'s rule on constructed results', () => {
  it('B1 needs plain-56 worse in training and test AND a depth penalty the residual pair does not pay', () => {
    const b1 = claim(degradationExperiment, 'B1');
    const paperLike = degradation({plain20: [0.05, 0.08], plain56: [0.09, 0.11], resnet20: [0.05, 0.08], resnet56: [0.03, 0.07]});
    assert.equal(evaluateClaim(b1, paperLike).verdict, 'reproduced');
    // Both 56-layer nets pay the same penalty (a short budget): no plain-specific degradation.
    const budget = degradation({plain20: [0.05, 0.08], plain56: [0.09, 0.11], resnet20: [0.05, 0.08], resnet56: [0.09, 0.11]});
    const v = evaluateClaim(b1, budget);
    assert.notEqual(v.verdict, 'reproduced');
    assert.equal(v.effects![2].verdict, v.effects![2].n > 1 ? 'inconclusive' : v.effects![2].verdict);
  });

  it('B2: ResNet-56 below ResNet-20 in training error and below plain-56 in test error', () => {
    const b2 = claim(degradationExperiment, 'B2');
    assert.equal(evaluateClaim(b2, degradation({plain20: [0.05, 0.08], plain56: [0.09, 0.11], resnet20: [0.05, 0.08], resnet56: [0.03, 0.07]})).verdict,
      'reproduced');
    assert.equal(evaluateClaim(b2, degradation({plain20: [0.05, 0.08], plain56: [0.09, 0.11], resnet20: [0.05, 0.08], resnet56: [0.08, 0.10]})).verdict,
      'not reproduced');
  });

  it('B2 at the quick budget: the opposite interval is inconclusive (a short budget cannot refute), never "not reproduced"', () => {
    assert.match(degradationExperiment.shortBudget!('quick') ?? '', /steps; the claims are about nets trained to convergence/);
    // Standard's 7,850 steps are an eighth of the paper's: it can reproduce B1/B2, not refute them.
    assert.match(degradationExperiment.shortBudget!('standard') ?? '',
      /standard trains 7,850 steps \(B2's training-error half 15,700\), an eighth \(a quarter\) of the paper's 64k/);
    assert.equal(degradationExperiment.shortBudget!('paper'), undefined);
  });

  it('B2 at the standard budget, leaning the wrong way: inconclusive, and more seeds are not offered as what would decide it', () => {
    const b2 = claim(degradationExperiment, 'B2');
    // Standard's committed finals (training error of ResNet-20 and -56, test error of plain-56 and ResNet-56, seeds 1-3).
    const finals = (r20: number[], r56: number[], p56: number[], r56Test: number[]) => fakeResults([1, 2, 3].flatMap((seed, i) => [
      {role: 'plain20', seed}, {role: 'plain56', seed, testError: p56[i]}, {role: 'resnet20', seed, trainError: r20[i]},
      {role: 'resnet56', seed, trainError: r56[i], testError: r56Test[i]}]));
    const leaning = finals([0.0473, 0.0475, 0.0546], [0.0562, 0.0506, 0.0586], [0.1114, 0.1242, 0.1312], [0.0914, 0.0856, 0.0884]);
    const plain = evaluateClaim(b2, leaning);
    assert.equal(plain.verdict, 'inconclusive');
    assert.match(plain.decide!, /about \d+ seeds/, 'without a budget rule, more seeds would decide it (as not reproduced)');
    const v = withinBudget(degradationExperiment, 'standard', plain);
    assert.equal(v.verdict, 'inconclusive');
    assert.doesNotMatch(v.decide!, /seeds at the measured spread/);
    assert.match(v.decide!, /^training error resnet20 − resnet56: its mean \(-0\.533 points\) leans to the opposite side; more seeds would only /);
    assert.match(v.decide!, /the paper profile/);
    // claims.json's effect rows say the same: no seed count under the leaning effect, the other one untouched.
    assert.match(v.effects![0].decide!, /^its mean \(-0\.533 points\) leans to the opposite side; more seeds would only confirm/);
    assert.deepEqual(v.effects![1], plain.effects![1]);
    // A larger gap, three seeds: refuted without the budget rule; under it the claim and its effect both read inconclusive.
    const refuting = finals([0.04, 0.041, 0.042], [0.06, 0.062, 0.061], [0.1114, 0.1242, 0.1312], [0.0914, 0.0856, 0.0884]);
    assert.equal(evaluateClaim(b2, refuting).effects![0].verdict, 'not reproduced');
    const r = withinBudget(degradationExperiment, 'standard', evaluateClaim(b2, refuting));
    assert.equal(r.verdict, 'inconclusive');
    assert.equal(r.effects![0].verdict, 'inconclusive');
    assert.match(r.effects![0].decide!, /^the interval lies on the opposite side at this budget, which cannot refute the claim: standard trains 7,850 steps/);
    assert.equal(r.effects![1].verdict, 'reproduced');
    // On the claim's side, the seed count stays the answer.
    const ahead = finals([0.0562, 0.0506, 0.0586], [0.0473, 0.0475, 0.0546], [0.1114, 0.1242, 0.1312], [0.0914, 0.0856, 0.0884]);
    const w = withinBudget(degradationExperiment, 'standard', evaluateClaim(b2, ahead));
    assert.equal(w.verdict, 'inconclusive');
    assert.match(w.decide!, /about \d+ seeds at the measured spread/);
    // A mean exactly on the boundary (binary-exact errors: differences −0.125, +0.125, 0) leans nowhere: more seeds alone will not decide it, and it says so.
    const even = finals([0.5, 0.5, 0.5], [0.625, 0.375, 0.5], [0.1114, 0.1242, 0.1312], [0.0914, 0.0856, 0.0884]);
    assert.match(withinBudget(degradationExperiment, 'standard', evaluateClaim(b2, even)).decide!, /sits on the threshold/);
  });

  it('B2 in standard: its training-error half reads the 100-epoch pair (seeds 3–18, a second look at 97.5%), its test half and B1 the 50-epoch runs', () => {
    const [b1, b2] = [claim(degradationExperiment, 'B1'), claim(degradationExperiment, 'B2')];
    const short = [1, 2, 3].flatMap((seed): FakeRun[] => [{role: 'plain20', seed, trainError: 0.05}, {role: 'plain56', seed, trainError: 0.11,
      testError: 0.12}, {role: 'resnet20', seed, trainError: 0.047 + wobble(seed)}, {role: 'resnet56', seed, trainError: 0.055, testError: 0.09}]);
    // At 100 epochs ResNet-56 ends 0.5 points below ResNet-20, seed by seed (at 50 it is behind: 0.047 against 0.055).
    const long = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].flatMap((seed): FakeRun[] => [{role: 'resnet20_e100', seed, trainError: 0.022 + wobble(1 + (seed % 4))},
      {role: 'resnet56_e100', seed, trainError: 0.017 + wobble(1 + (seed % 4)) + (seed % 2 ? 0.001 : -0.001)}]);
    const both = fakeResults([...short, ...long]);
    const v2 = evaluateClaim(b2, both);
    assert.equal(v2.verdict, 'reproduced');
    assert.deepEqual([v2.effects![0].n, v2.effects![1].n], [16, 3]);
    assert.ok(Math.abs(v2.effects![0].estimate - 0.005) < 1e-9);
    // The 100-epoch pair is the design's second and last look: 97.5%, said in the rule; the test half stays at 95%.
    assert.deepEqual([v2.effects![0].level, v2.effects![1].level], [0.975, undefined]);
    assert.match(v2.effects![0].rule, /^the 97\.5% t-interval over seeds of training error resnet20 − resnet56 lies above 0 points \(the second of two looks/);
    assert.match(v2.interval!, /97\.5% for training error resnet20 − resnet56, 95% for the other$/);
    // Straddling at the last look: no seed count, the paper profile instead.
    const even = fakeResults([...short, ...[3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].flatMap((seed): FakeRun[] => [
      {role: 'resnet20_e100', seed, trainError: 0.022}, {role: 'resnet56_e100', seed, trainError: 0.022 + (seed % 2 ? 0.004 : -0.0045)}])]);
    const straddles = evaluateClaim(b2, even);
    assert.equal(straddles.verdict, 'inconclusive');
    assert.match(straddles.decide!, /the design's last look .*a third look, which the design .* does not take; the paper profile/);
    // Quick and paper read the 50-epoch pair: one look, 95%.
    assert.equal(evaluateClaim(b2, fakeResults(short)).effects![0].level, undefined);
    // B1 is decided on its own four nets of seeds 1–3 (the long pair's seeds 4–18 have no plain nets).
    const v1 = evaluateClaim(b1, both);
    assert.deepEqual(v1.effects!.map((e) => e.n), [3, 3, 3]);
    // Without the long pair (quick, paper) B2's training half reads the 50-epoch pair: ResNet-56 behind.
    assert.equal(evaluateClaim(b2, fakeResults(short)).effects![0].n, 3);
    assert.ok(evaluateClaim(b2, fakeResults(short)).effects![0].estimate < 0);
    // While the long pair trains (over sittings), B1 is decided and B2 alone waits, naming the runs it needs.
    const base = experimentContextFor('standard');
    const ctx = {...base, data: {...base.data, present: true}};
    const runs = degradationExperiment.runs('standard', ctx).map((spec) => ({experiment: 'B1B2', name: spec.name, spec, hash: spec.name, cached: false}));
    assert.equal(runs.length, 12 + 32);
    const plan = {profile: 'standard' as const, ctx, experiments: [degradationExperiment], runs, trainings: []};
    const [p1, p2] = evaluateProfile(plan, new Map([['B1B2', fakeResults(short)]]));
    assert.equal(p1.verdict, 'reproduced');
    assert.equal(p2.verdict, 'not run');
    assert.match(p2.note ?? '', /^runs not in the store: resnet20_e100\.s3, resnet56_e100\.s3, resnet20_e100\.s4, .*resnet56_e100\.s18;/);
  });

  it('B3: residual clearly worse at 7 layers, equivalent (±1 point) at 9', () => {
    const b3 = claim(shallowExperiment, 'B3');
    const run = (r7: number, r9: number) => fakeResults(SEEDS.flatMap((seed) => [
      {role: 'plain7', seed, testError: 0.20 + wobble(seed)}, {role: 'resnet7', seed, testError: 0.20 + r7 + wobble(seed)},
      {role: 'plain9', seed, testError: 0.15 + wobble(seed)}, {role: 'resnet9', seed, testError: 0.15 + r9 + wobble(seed) * 0.5}]));
    assert.equal(evaluateClaim(b3, run(0.03, 0.0)).verdict, 'reproduced');
    assert.equal(evaluateClaim(b3, run(-0.03, 0.0)).verdict, 'not reproduced', 'residual better at 7');
    assert.equal(evaluateClaim(b3, run(0.03, 0.03)).verdict, 'not reproduced', 'not equivalent at 9');
  });

  it('B5: orders of magnitude means more than one decade between the first-layer gradient norms', () => {
    const b5 = claim(gradientsExperiment, 'B5');
    const norms = (first: number) => [{weight: 'conv1', index: 0, norm: first}, {weight: 'linear', index: 1, norm: 1}];
    const run = (plain: number, res: number) => fakeResults(SEEDS.flatMap((seed) => [
      {role: 'plain56_sigmoid_nobn', seed, gradientNorms: norms(plain * (1 + wobble(seed)))},
      {role: 'resnet56_sigmoid_nobn', seed, gradientNorms: norms(res)}]));
    assert.equal(evaluateClaim(b5, run(1e-12, 1e-3)).verdict, 'reproduced');
    assert.equal(evaluateClaim(b5, run(1e-3, 2e-3)).verdict, 'not reproduced', 'a factor of 2 is not orders of magnitude');
    assert.ok(Math.abs(evaluateClaim(b5, run(1e-12, 1e-3)).estimate! - 9) < 0.01);
  });

  it('B6: a rebound is a rise of the validation loss beyond the curve noise across seeds', () => {
    const b6 = claim(cnnVsResnetExperiment, 'B6');
    assert.ok(Math.abs(curveNoise([[1, 2], [1, 2]])) < 1e-12, 'identical curves have no noise');
    const run = (rise: number) => fakeResults(SEEDS.flatMap((seed) => [
      {role: 'cnn003', seed, testError: 0.3 + wobble(seed)},
      {role: 'resnet20', seed, testError: 0.2 + wobble(seed),
        history: [1.0, 0.8, 0.7, 0.7 + rise, 0.6].map((l, i) => ({valLoss: l + (i === 3 ? 0 : wobble(seed))}))},
      {role: 'resnet32', seed, testError: 0.2}]));
    assert.equal(evaluateClaim(b6, run(0.2)).verdict, 'reproduced');
    assert.equal(evaluateClaim(b6, run(-0.05)).verdict, 'not reproduced', 'a falling curve with noise-sized wiggles has no rebound');
  });

  it('B6: the accuracy half compares the mean test error of the last epochs, not one epoch\'s snapshot', () => {
    const b6 = claim(cnnVsResnetExperiment, 'B6');
    const rising = [1.0, 0.8, 0.7, 0.95, 0.6].map((l) => ({valLoss: l}));
    // The ResNet oscillates around 10% (the CNN sits at 12%) and every seed's last epoch happens to swing up to 14%.
    const oscillating = [0.08, 0.12, 0.06, 0.10, 0.14];
    const run = (tested: boolean) => fakeResults(SEEDS.flatMap((seed) => [
      {role: 'cnn003', seed, testError: 0.12 + wobble(seed)},
      {role: 'resnet20', seed, history: rising.map((h, i) => ({...h, testError: tested || i === 4 ? oscillating[i] + wobble(seed) : undefined}))},
      {role: 'resnet32', seed}]));
    const v = evaluateClaim(b6, run(true));
    assert.equal(v.verdict, 'reproduced');
    assert.ok(Math.abs(v.effects![0].estimate - 0.02) < 1e-9, `window mean 10% vs 12%: +2 points (got ${v.effects![0].estimate})`);
    assert.equal(v.unit, undefined, 'the accuracy effect is in the claim\'s unit (%)');
    assert.equal(v.effects![1].unit, '', 'the rebound is a loss difference, not a percentage');
    const untested = evaluateClaim(b6, run(false));
    assert.equal(untested.verdict, 'not run', 'a run tested only after its last epoch cannot give the converged level');
    assert.match(untested.note!, /testWindow 5/);
  });

  it('C2: the gap uses inference-mode training accuracy (evalTrain), and a run without it cannot be measured', () => {
    const c2 = claim(tinyImagenetExperiment, 'C2');
    const run = (evalTrain: boolean) => fakeResults(SEEDS.flatMap((seed) => [
      {role: 'resnet18_tiny', seed, testError: 0.6 + wobble(seed), trainError: 0.5, ...(evalTrain ? {trainEvalError: 0.3} : {})},
      {role: 'resnet18_tiny_drop0.5', seed, testError: 0.55 + wobble(seed), trainError: 0.6, ...(evalTrain ? {trainEvalError: 0.35} : {})}]));
    assert.equal(evaluateClaim(c2, run(true)).verdict, 'reproduced');
    const v = evaluateClaim(c2, run(false));
    assert.equal(v.verdict, 'not run');
    assert.match(v.note!, /inference-mode training accuracy/);
  });
});
