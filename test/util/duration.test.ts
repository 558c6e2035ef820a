import {strict as assert} from 'node:assert';
import {parseDuration} from '../../src/util/duration';

describe('util/duration', () => {
  it('reads a number with a unit, and combined parts', () => {
    assert.equal(parseDuration('2.5h', 'x'), 9000);
    assert.equal(parseDuration('90min', 'x'), 5400);
    assert.equal(parseDuration('45m', 'x'), 2700);
    assert.equal(parseDuration('600s', 'x'), 600);
    assert.equal(parseDuration('1h30m', 'x'), 5400);
    assert.equal(parseDuration('1h 30min', 'x'), 5400);
    assert.equal(parseDuration('1d', 'x'), 86400);
  });

  it('refuses a bare number, an unknown unit, zero and junk, naming the option', () => {
    for (const bad of ['3', '3 hours', '0h', '', 'h', '2h-1m', '1.h', '-2h', 'soon']) {
      assert.throws(() => parseDuration(bad, 'repro reproduce --within'),
        new RegExp(`repro reproduce --within: "${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a duration[\\s\\S]*e\\.g\\. 2\\.5h`), bad);
    }
  });
});
