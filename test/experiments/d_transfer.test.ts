import {strict as assert} from 'node:assert';
import {chooseData, experimentContextFor, type ExperimentContext} from '../../experiments/data_choice';
import {transferExperiment} from '../../experiments/d_transfer';
import type {RunResults} from '../../src/claims/claim';
import {evaluateClaim} from '../../src/claims/evaluate';
import {pretrainedNames} from '../../src/models/pretrained';
import {fakeResults} from '../claims/fake_results';

const NETS = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnext50_32x4d'];
const ALL = pretrainedNames();

function ctx(profile: 'quick' | 'paper', cifar: boolean, weights: readonly string[]): ExperimentContext {
  return {...experimentContextFor(profile, chooseData(profile, (n) => (n === 'cifar10' ? cifar : true))), weightsPresent: weights};
}

/** Stored results of seeds 1–3 with the given final test accuracy and training loss per net (seed s adds s·0.001 of noise). */
function results(acc: readonly number[], loss: readonly number[]): RunResults {
  return fakeResults([1, 2, 3].flatMap((seed) => NETS.map((role, i) => ({role, seed, testError: 1 - acc[i] + seed * 0.001,
    trainLoss: loss[i] + seed * 0.001}))));
}

describe('experiments/d_transfer (claims D1–D3)', () => {
  it('smoke: not run, with the reason and the command that fetches everything and runs D', () => {
    const nr = transferExperiment.notRun('smoke', experimentContextFor('smoke'));
    assert.ok(nr);
    assert.match(nr.reason, /no stand-in for ImageNet-pretrained weights/);
    assert.equal(nr.command, `npx repro weights fetch ${ALL.join(' ')} && npx repro data fetch cifar10 && npm run reproduce -- --only D`);
    assert.deepEqual(transferExperiment.runs('smoke', experimentContextFor('smoke')), []);
    assert.deepEqual(transferExperiment.claimNotes!('smoke', experimentContextFor('smoke')), {});
  });

  it('quick: not run while a weights file or CIFAR-10 is missing; the reason names the files, the command fetches only those', () => {
    const some = transferExperiment.notRun('quick', ctx('quick', true, ['resnet18.tv_in1k', 'resnet50.tv_in1k']));
    assert.ok(some);
    assert.match(some.reason, /resnet34-b627a593\.pth, resnet101-63fe2227\.pth, resnet152-394f9c45\.pth, resnext50_32x4d-7cdf4587\.pth/);
    assert.doesNotMatch(some.reason, /resnet18-f37072fd|CIFAR-10/);
    assert.equal(some.command, 'npx repro weights fetch resnet34.tv_in1k resnet101.tv_in1k resnet152.tv_in1k resnext50_32x4d.tv_in1k ' +
      '&& npm run reproduce -- --only D');
    const noCifar = transferExperiment.notRun('quick', ctx('quick', false, ALL));
    assert.ok(noCifar);
    assert.match(noCifar.reason, /CIFAR-10/);
    assert.equal(noCifar.command, 'npx repro data fetch cifar10 && npm run reproduce -- --only D');
    const paper = transferExperiment.notRun('paper', ctx('paper', false, []));
    assert.ok(paper);
    assert.match(paper.command, /^npx repro weights fetch resnet18\.tv_in1k .* && npx repro data fetch cifar10 && npm run reproduce -- --profile paper --only D$/);
    assert.equal(transferExperiment.notRun('quick', ctx('quick', true, ALL)), undefined);
  });

  it('runs: paper = the six nets × 3 seeds at 224×224, 5 epochs, all of CIFAR-10; quick = the two pairs × 3 seeds on a subset', () => {
    const paper = transferExperiment.runs('paper', ctx('paper', true, ALL));
    assert.deepEqual(paper.map((r) => [r.name, r.model, r.init?.pretrained]),
      [1, 2, 3].flatMap((s) => NETS.map((n) => [`${n}.s${s}`, n, `${n}.tv_in1k`])));
    for (const r of paper) {
      assert.deepEqual(r.data, {name: 'cifar10'});
      assert.deepEqual(r.augment, {resize: 224, hflip: true, normalize: 'imagenet'});
      assert.equal(r.epochs, 5);
    }
    const quick = transferExperiment.runs('quick', ctx('quick', true, ALL));
    assert.deepEqual([...new Set(quick.map((r) => r.model))], ['resnet18', 'resnet50', 'resnet152', 'resnext50_32x4d']);
    assert.deepEqual([...new Set(quick.map((r) => r.seed))], [1, 2, 3]);
    for (const r of quick) {
      assert.equal(r.data.name, 'cifar10');
      assert.ok(r.data.trainPerClass! <= 100 && r.augment.resize! <= 64 && r.epochs === 1, JSON.stringify(r));
      assert.ok(r.data.testPerClass! * 10 >= 2000, 'at least 2,000 test images');
    }
    const notes = transferExperiment.claimNotes!('quick', ctx('quick', true, ALL));
    assert.match(notes.D1 ?? '', /quick profile: 1 epoch on 100 training and 200 test images per class of CIFAR-10 at 64×64 \(paper profile: 5 epochs/);
  });

  it('D1–D3 are decided over seeds on the pairs the document gives numbers for', () => {
    const [d1, d2, d3] = transferExperiment.claims;
    const good = results([0.90, 0.91, 0.93, 0.94, 0.96, 0.935], [0.2, 0.15, 0.12, 0.1, 0.07, 0.11]);
    for (const c of [d1, d2, d3]) {
      const v = evaluateClaim(c, good);
      assert.equal(v.verdict, 'reproduced', c.id);
      assert.equal(v.n, 3);
    }
    assert.ok(Math.abs(evaluateClaim(d1, good).estimate! - 0.06) < 1e-9, 'ResNet-152 − ResNet-18');
    assert.ok(Math.abs(evaluateClaim(d3, good).estimate! - 0.005) < 1e-9, 'ResNeXt-50 − ResNet-50');
    const worse = results([0.96, 0.91, 0.93, 0.94, 0.90, 0.92], [0.07, 0.15, 0.12, 0.13, 0.2, 0.11]);
    for (const c of [d1, d2, d3]) assert.equal(evaluateClaim(c, worse).verdict, 'not reproduced', c.id);
    const missing = new Map([...good].filter(([n]) => n !== 'resnet152.s2'));
    assert.equal(evaluateClaim(d1, missing).verdict, 'not run');
  });

  it('section: the transfer table and the accuracy-by-depth figure always (the paper\'s points alone until ours exist)', () => {
    const empty = transferExperiment.section(new Map(), 'quick', ctx('quick', true, ALL));
    assert.deepEqual(empty.figures.map((f) => f.id), ['d-accuracy-by-depth']);
    assert.match(empty.figures[0].caption, /ours not run here/);
    const paperOnly = (empty.figures[0].spec.data as {values: {source: string}[]}).values;
    assert.deepEqual([...new Set(paperOnly.map((v) => v.source))], ['paper']);
    assert.deepEqual(empty.tables[0].rows[0], ['ResNet-18', '—', '93.2%', '—', '0.19']);
    const full = transferExperiment.section(results([0.9, 0.91, 0.93, 0.94, 0.96, 0.935], [0.2, 0.15, 0.12, 0.1, 0.07, 0.11]), 'quick',
      ctx('quick', true, ALL));
    assert.deepEqual(full.figures.map((f) => f.id), ['d-accuracy-by-depth']);
    assert.doesNotMatch(full.figures[0].caption, /not run/);
    assert.deepEqual(full.tables[0].rows[4], ['ResNet-152', '95.8%', '96.5%', '0.072', '0.07']);
  });
});
