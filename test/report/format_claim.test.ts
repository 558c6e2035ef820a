import {strict as assert} from 'node:assert';
import type {ClaimVerdict} from '../../src/claims/claim';
import {claimCells, intervalDecimals, formatCriterion, formatNumber, formatValue} from '../../src/report/format_claim';

describe('report/format_claim', () => {
  it('keeps every digit of integers and rounds the rest to 4 significant digits', () => {
    assert.equal(formatNumber(11689512), '11,689,512');
    assert.equal(formatNumber(3.67149), '3.671');
    assert.equal(formatNumber(6.97), '6.97');
    assert.equal(formatNumber(0.00001234), '1.23e-5');
  });

  it('shows fractions with unit % as percent and leaves G/M values as they are', () => {
    assert.equal(formatValue(0.0697, '%'), '6.97%');
    assert.equal(formatValue(3.6, 'G'), '3.6G');
    assert.equal(formatValue(13, 'points'), '13 points');
    assert.equal(formatValue(true), 'holds');
    assert.equal(formatValue(false), 'does not hold');
  });

  it('writes the criterion in display units', () => {
    assert.equal(formatCriterion({holds: 'approx', paper: 0.0697, tolerance: {abs: 0.005}, unit: '%'}), '≈ 6.97% (±0.5%)');
    assert.equal(formatCriterion({holds: 'approx', paper: 3.6, tolerance: {rel: 0.05}, unit: 'G'}), '≈ 3.6G (±5% rel.)');
    assert.equal(formatCriterion({holds: 'approx', paper: 11689512}), '≈ 11,689,512 (exact)');
    assert.equal(formatCriterion({holds: 'approx', paper: 11689512, tolerance: {abs: 0}}), '≈ 11,689,512 (exact)');
    assert.equal(formatCriterion({holds: 'gt', unit: '%'}), '> 0%');
    assert.equal(formatCriterion({holds: 'lt', threshold: 0.5}), '< 0.5');
    assert.equal(formatCriterion({holds: 'true'}), 'must hold');
  });

  it('prefers the paper text and shows a dash where nothing was measured', () => {
    const v: ClaimVerdict = {id: 'C1', statement: 's', source: {doc: '001', where: '§IV'}, verdict: 'not run',
      expected: {holds: 'gt', paperText: '+13 points', unit: 'points'}, criterion: 'ours > 0'};
    assert.deepEqual(claimCells(v), {paper: '+13 points', paperIsNumber: false, ours: '—', criterion: '> 0 points'});
    const measured: ClaimVerdict = {...v, verdict: 'reproduced', measured: 0.0841,
      expected: {holds: 'approx', paper: 0.0697, tolerance: {abs: 0.01}, unit: '%'}};
    assert.deepEqual(claimCells(measured), {paper: '6.97%', paperIsNumber: true, ours: '8.41%', criterion: '≈ 6.97% (±1%)'});
  });

  it('shows a seed-decided effect of a % claim in signed percentage points with its interval and n', () => {
    const v: ClaimVerdict = {id: 'B1', statement: 's', source: {doc: '002', where: 'Fig. 1'}, verdict: 'inconclusive',
      expected: {holds: 'gt', threshold: 0, unit: '%'}, criterion: 'ours > 0', measured: 0.2089, estimate: 0.2089, ci: [-0.2588, 0.6766], n: 3};
    assert.equal(claimCells(v).ours, '+21 pt [-26, +68], n = 3');
    assert.equal(claimCells({...v, expected: {holds: 'gt', threshold: 1}, estimate: 10.19, ci: [9.478, 10.9]}).ours, '10.19 [9.48, 10.90], n = 3');
    // An interval at another level than 95% (a design's later look) says so.
    assert.equal(claimCells({...v, level: 0.975, n: 16}).ours, '+21 pt [-26, +68] (97.5% CI), n = 16');
  });

  it('gives the estimate and its interval one precision, from the interval\'s half-width', () => {
    const v: ClaimVerdict = {id: 'B3', statement: 's', source: {doc: '002', where: 'Fig. 4'}, verdict: 'reproduced',
      expected: {holds: 'gt', threshold: 0, unit: '%'}, criterion: 'ours > 0', estimate: 0.007, ci: [0.004672, 0.009328], n: 5};
    assert.equal(claimCells(v).ours, '+0.70 pt [+0.47, +0.93], n = 5');
    assert.equal(claimCells({...v, estimate: -0.0027, ci: [-0.0541, 0.0487]}).ours, '-0.3 pt [-5.4, +4.9], n = 5');
    // No interval to size the digits by (a single seed): the usual four significant digits.
    assert.equal(claimCells({...v, ci: undefined, n: 1}).ours, '+0.7 pt, n = 1');
    assert.equal(intervalDecimals(0.2328), 2);
    assert.equal(intervalDecimals(46.77), 0);
    assert.equal(intervalDecimals(0), undefined);
  });
});
