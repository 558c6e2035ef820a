import {strict as assert} from 'node:assert';
import {requireTool} from './chromium';

/** The guard that makes Chromium-dependent tests pending here but failing in CI. */
describe('report test guard (requireTool)', () => {
  const saved = {CI: process.env.CI, REPRO_CHROMIUM: process.env.REPRO_CHROMIUM};
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  function fakeContext(): {ctx: Mocha.Context; skipped: () => boolean} {
    let skipped = false;
    const ctx = {skip: () => { skipped = true; throw new Error('skipped'); }} as unknown as Mocha.Context;
    return {ctx, skipped: () => skipped};
  }

  it('fails in CI when Chromium is missing', () => {
    process.env.CI = 'true';
    process.env.REPRO_CHROMIUM = '/nonexistent/chromium';
    const {ctx, skipped} = fakeContext();
    assert.throws(() => requireTool(ctx, 'chromium'), /^Error: CI: chromium is not available/);
    assert.equal(skipped(), false);
  });

  it('marks the test pending, with the reason, outside CI', () => {
    delete process.env.CI;
    process.env.REPRO_CHROMIUM = '/nonexistent/chromium';
    const {ctx, skipped} = fakeContext();
    const lines: string[] = [];
    assert.throws(() => requireTool(ctx, 'chromium', (l) => lines.push(l)), /skipped/);
    assert.equal(skipped(), true);
    assert.match(lines.join('\n'), /pending: chromium is not available .*apt-get install chromium/);
  });
});
