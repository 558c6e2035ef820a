import {strict as assert} from 'node:assert';
import {experimentContextFor, chooseData} from '../../experiments/data_choice';
import {CLAIM_IDS, EXPERIMENTS} from '../../experiments/index';
import {Profile} from '../../experiments/profile';
import {recipeDeviations} from '../../experiments/b7_recipe';
import {degradationExperiment} from '../../experiments/b1_b2_degradation';
import {parseRunSpec} from '../../src/runs/spec';
import {modelConfig} from '../../src/models/registry';

describe('experiments/index: the registry', () => {
  it('covers exactly the claim ids of CLAIMS.md, each once, in order', () => {
    assert.deepEqual(EXPERIMENTS.flatMap((e) => e.claims.map((c) => c.id)), [...CLAIM_IDS]);
  });

  it('experiment ids are unique', () => {
    assert.equal(new Set(EXPERIMENTS.map((e) => e.id)).size, EXPERIMENTS.length);
  });

  for (const profile of Object.values(Profile)) {
    it(`${profile}: every run is a valid RunSpec of a known model, named uniquely within its experiment`, () => {
      for (const data of [chooseData(profile, () => true), chooseData(profile, (n) => n === 'fashion-mnist')]) {
        const ctx = {...experimentContextFor(profile, data), tinyImagenetPresent: true, intelScenePresent: true};
        for (const exp of EXPERIMENTS) {
          const runs = exp.runs(profile, ctx);
          assert.equal(new Set(runs.map((r) => r.name)).size, runs.length, `${exp.id}: duplicate run names`);
          for (const r of runs) {
            assert.equal(r.experiment, exp.id);
            parseRunSpec(JSON.parse(JSON.stringify(r)), `${exp.id}/${r.name}`);
            modelConfig(r.model);
          }
        }
      }
    });
  }

  it('data choice: CIFAR-10 when present, else Fashion-MNIST with a note (quick), synthetic for smoke', () => {
    assert.deepEqual(chooseData('quick', () => true), {name: 'cifar10', standIn: false, present: true});
    assert.equal(chooseData('quick', () => false).present, false);
    assert.equal(chooseData('paper', () => false).present, false);
    const fm = chooseData('quick', (n) => n === 'fashion-mnist');
    assert.equal(fm.name, 'fashion-mnist');
    assert.match(fm.note ?? '', /Fashion-MNIST stands in for CIFAR-10/);
    assert.equal(chooseData('smoke', () => true).name, 'synthetic');
    assert.equal(chooseData('paper', () => false).name, 'cifar10');
  });

  it('B7: the paper profile encodes the published recipe; the quick profile names its deviations', () => {
    assert.deepEqual(degradationExperiment.runs('paper', experimentContextFor('paper')).flatMap(recipeDeviations), []);
    const quick = experimentContextFor('quick', chooseData('quick', (n) => n === 'fashion-mnist'));
    const dev = degradationExperiment.runs('quick', quick).flatMap(recipeDeviations);
    assert.ok(dev.some((d) => d.includes('fashion-mnist')), dev.join('; '));
    assert.ok(dev.some((d) => d.includes('epochs')), dev.join('; '));
  });

  it('CIFAR-type experiments are "not run" with the fetch command when their data set is absent', () => {
    const ctx = experimentContextFor('paper', chooseData('paper', () => false));
    const nr = degradationExperiment.notRun('paper', ctx);
    assert.ok(nr, 'expected not run');
    assert.match(nr.reason, /CIFAR-10 is not present/);
    assert.equal(nr.command, 'repro data fetch cifar10 && npm run reproduce -- --profile paper --only B1B2');
    assert.equal(degradationExperiment.notRun('quick', experimentContextFor('quick', chooseData('quick', () => true))), undefined);
  });
});
