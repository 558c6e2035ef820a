import {strict as assert} from 'node:assert';
import {requireJupyter} from './jupyter_available';

/** The guard that makes the notebook-executing tests pending here but failing in CI. */
describe('notebook test guard (requireJupyter)', () => {
  const saved = process.env.CI;
  afterEach(() => { if (saved === undefined) delete process.env.CI; else process.env.CI = saved; });

  function fakeContext(): {ctx: Mocha.Context; skipped: () => boolean} {
    let skipped = false;
    const ctx = {skip: () => { skipped = true; throw new Error('skipped'); }} as unknown as Mocha.Context;
    return {ctx, skipped: () => skipped};
  }
  const noJupyter = () => 'Jupyter is not installed for /usr/bin/python3';

  it('fails in CI when Jupyter or tslab is missing', () => {
    process.env.CI = 'true';
    const {ctx, skipped} = fakeContext();
    assert.throws(() => requireJupyter(ctx, noJupyter), /^Error: CI: notebooks cannot run: Jupyter is not installed/);
    assert.equal(skipped(), false);
  });

  it('marks the test pending, with the reason, outside CI; runs it when everything is there', () => {
    delete process.env.CI;
    const {ctx, skipped} = fakeContext();
    const lines: string[] = [];
    assert.throws(() => requireJupyter(ctx, noJupyter, (l) => lines.push(l)), /skipped/);
    assert.equal(skipped(), true);
    assert.match(lines.join('\n'), /pending: notebooks cannot run: Jupyter is not installed/);
    const ready = fakeContext();
    requireJupyter(ready.ctx, () => undefined);
    assert.equal(ready.skipped(), false);
  });
});
