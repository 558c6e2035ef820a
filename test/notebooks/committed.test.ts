import {strict as assert} from 'node:assert';
import {join} from 'node:path';
import {readNotebook, staleOutputs} from '../../src/notebooks/ipynb';
import {NOTEBOOKS_DIR} from '../../src/notebooks/jupyter';
import {listNotebooks} from '../../src/notebooks/execute';
import {findParametersCell, parameterDefaults} from '../../src/notebooks/parameters';

describe('committed notebooks', () => {
  const names = listNotebooks();

  it('exist (overview and models at least)', () => {
    for (const n of ['overview', 'models']) assert.ok(names.includes(n), `notebooks/${n}.ipynb missing: ${names}`);
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
