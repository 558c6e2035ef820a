import {strict as assert} from 'node:assert';
import type {Notebook} from '../../src/notebooks/ipynb';
import {INJECTED_TAG, injectParameters, parameterDefaults, parseParams} from '../../src/notebooks/parameters';
import {ReproError} from '../../src/util/errors';

function notebook(paramsSource: string): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      {cell_type: 'markdown', metadata: {}, source: '# t'},
      {cell_type: 'code', metadata: {tags: ['parameters']}, source: paramsSource, outputs: [], execution_count: null},
      {cell_type: 'code', metadata: {}, source: 'console.log(epochs);', outputs: [], execution_count: null},
    ],
  };
}

const NB = notebook("let profile = 'smoke';  // comment\nlet epochs = 2;\nlet lr: number = 0.1;\n\nlet plot = true;");

describe('notebook parameters', () => {
  it('reads the typed defaults of the cell tagged "parameters"', () => {
    assert.deepEqual(parameterDefaults(NB, 'x.ipynb'), [
      {name: 'profile', value: 'smoke'}, {name: 'epochs', value: 2}, {name: 'lr', value: 0.1}, {name: 'plot', value: true},
    ]);
  });

  it('types --param values from the defaults', () => {
    const values = parseParams(['epochs=5', 'profile=small', 'plot=false', 'lr=1e-3'], parameterDefaults(NB, 'x'), 'x');
    assert.deepEqual([...values], [['epochs', 5], ['profile', 'small'], ['plot', false], ['lr', 0.001]]);
  });

  it('rejects an unknown name, listing the known parameters', () => {
    assert.throws(() => parseParams(['epoch=5'], parameterDefaults(NB, 'x'), 'x.ipynb'), (err: Error) => {
      assert.ok(err instanceof ReproError);
      assert.match(err.message, /no parameter "epoch"/);
      assert.match(err.message, /profile \(string, default "smoke"\), epochs \(number, default 2\)/);
      return true;
    });
  });

  it('rejects a value of the wrong type and a malformed assignment', () => {
    assert.throws(() => parseParams(['epochs=two'], parameterDefaults(NB, 'x'), 'x'), /epochs is a number/);
    assert.throws(() => parseParams(['plot=yes'], parameterDefaults(NB, 'x'), 'x'), /plot is a boolean/);
    assert.throws(() => parseParams(['epochs'], parameterDefaults(NB, 'x'), 'x'), /not name=value/);
  });

  it('rejects a parameters cell it cannot read, or a const parameter', () => {
    assert.throws(() => parameterDefaults(notebook('let x = f();'), 'x.ipynb'), /cannot read the parameters cell/);
    assert.throws(() => parameterDefaults(notebook('const x = 1;'), 'x.ipynb'), /declared with const/);
  });

  it('injects a tagged cell right after the parameters cell, replacing an earlier injection', () => {
    const once = injectParameters(NB, new Map<string, number | string | boolean>([['epochs', 5], ['profile', 'a"b']]), 'x');
    const twice = injectParameters(once, new Map([['epochs', 7]]), 'x');
    for (const [nb, source] of [[once, 'epochs = 5;\nprofile = "a\\"b";'], [twice, 'epochs = 7;']] as const) {
      assert.equal(nb.cells.length, 4);
      assert.deepEqual(nb.cells[2].metadata.tags, [INJECTED_TAG]);
      assert.ok(String(nb.cells[2].source).endsWith(source), String(nb.cells[2].source));
      assert.equal(nb.cells[3].source, 'console.log(epochs);');
    }
    assert.equal(injectParameters(NB, new Map(), 'x'), NB, 'no parameters: the notebook as it is');
  });
});
