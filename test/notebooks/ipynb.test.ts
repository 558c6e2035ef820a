import {strict as assert} from 'node:assert';
import {clearOutputs, outputMimeTypes, staleOutputs, type Notebook} from '../../src/notebooks/ipynb';

const EXECUTED: Notebook = {
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    {cell_type: 'markdown', metadata: {}, source: 'x'},
    {cell_type: 'code', metadata: {}, source: 'a', execution_count: 1,
      outputs: [{output_type: 'display_data', data: {'image/svg+xml': '<svg/>'}}, {output_type: 'stream', name: 'stdout', text: 'hi'}]},
    {cell_type: 'code', metadata: {}, source: 'b', execution_count: 2, outputs: []},
  ],
};

describe('ipynb', () => {
  it('finds outputs and execution counts, and clears them', () => {
    assert.equal(staleOutputs(EXECUTED), 'cell 1 has 2 output(s)');
    const clean = clearOutputs(EXECUTED);
    assert.equal(staleOutputs(clean), undefined);
    assert.equal(clean.cells[1].source, 'a');
    assert.equal(staleOutputs({...clean, cells: [{...clean.cells[2], execution_count: 3}]}), 'cell 0 has execution_count 3');
  });

  it('lists the rich output MIME types', () => {
    assert.deepEqual([...outputMimeTypes(EXECUTED)], ['image/svg+xml']);
  });
});
