import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {experimentContext} from '../../experiments/data_choice';
import {memoizePrepareData, planProfile, selectExperiments} from '../../src/pipeline/plan';
import {prepareTrainData} from '../../src/runs/prepare_data';
import {RunStore} from '../../src/runs/store';

describe('pipeline/plan', () => {
  it('a training two experiments share has one hash whether or not --only names the experiment that owns it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'repro-plan-'));
    try {
      const store = new RunStore(dir);
      const prepareData = memoizePrepareData(prepareTrainData);
      const plan = (only: string[]) => planProfile({profile: 'smoke', ctx: experimentContext('smoke'), experiments: selectExperiments(only),
        store, prepareData});
      const [full, b4] = [await plan([]), await plan(['B4'])];
      const hashOf = (p: typeof full, experiment: string, name: string) => p.runs.find((r) => r.experiment === experiment && r.name === name)!.hash;
      // B4's plain-56 and ResNet-56 (option A) are B1B2's runs: `--only B4` must find them, not train them again.
      for (const name of ['plain56.s1', 'resnet56.s1']) {
        assert.equal(hashOf(full, 'B4', name), hashOf(full, 'B1B2', name), `full plan: B4/${name} is B1B2's training`);
        assert.equal(hashOf(b4, 'B4', name), hashOf(full, 'B1B2', name), `--only B4: B4/${name} keeps B1B2's hash`);
      }
      const shared = b4.trainings.find((t) => t.hash === hashOf(full, 'B1B2', 'plain56.s1'))!;
      assert.equal(shared.spec.experiment, 'B1B2', 'trained and stored under the spec of the experiment that owns it');
      assert.ok(b4.trainings.some((t) => t.spec.experiment === 'B4'), 'B4\'s own options B and C stay B4\'s');
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
