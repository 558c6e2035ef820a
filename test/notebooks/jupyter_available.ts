import {notebookSupportMissing} from '../../src/notebooks/jupyter';

/**
 * Tests that execute notebooks call this first: without Jupyter or tslab they are pending with the
 * reason printed, except in CI (CI=true), where set-up must have installed them and their absence fails.
 */
export function requireJupyter(ctx: Mocha.Context): void {
  const missing = notebookSupportMissing();
  if (missing === undefined) return;
  if (process.env.CI === 'true') throw new Error(`CI: notebooks cannot run: ${missing}`);
  console.log(`      pending: notebooks cannot run: ${missing}`);
  ctx.skip();
}
