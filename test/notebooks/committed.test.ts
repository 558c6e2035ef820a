import {strict as assert} from 'node:assert';
import {join} from 'node:path';
import {EXPERIMENTS} from '../../experiments/index';
import {readNotebook, staleOutputs} from '../../src/notebooks/ipynb';
import {NOTEBOOKS_DIR} from '../../src/notebooks/jupyter';
import {listNotebooks} from '../../src/notebooks/execute';
import {findParametersCell, parameterDefaults} from '../../src/notebooks/parameters';

describe('committed notebooks', () => {
  const names = listNotebooks();

  it('exist: overview, models and one per experiment of the registry', () => {
    for (const n of ['overview', 'models', ...EXPERIMENTS.map((e) => e.id)]) {
      assert.ok(names.includes(n), `notebooks/${n}.ipynb missing (experiments: \`node scripts/new_experiment_notebook.mjs ${n}\`): ${names}`);
    }
  });

  for (const name of names) {
    const file = join(NOTEBOOKS_DIR, `${name}.ipynb`);
    it(`${name}: no outputs or execution counts (run \`repro notebook clean\`)`, () => {
      assert.equal(staleOutputs(readNotebook(file)), undefined);
    });
    it(`${name}: tslab kernel and a readable "parameters" cell`, () => {
      const nb = readNotebook(file);
      assert.equal((nb.metadata.kernelspec as {name?: string} | undefined)?.name, 'tslab');
      assert.ok(findParametersCell(nb) >= 0, 'no cell tagged "parameters"');
      assert.ok(parameterDefaults(nb, file).length > 0);
    });
  }
});
