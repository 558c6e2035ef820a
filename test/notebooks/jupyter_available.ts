import {notebookSupportMissing} from '../../src/notebooks/jupyter';

/**
 * Tests that execute notebooks call this first: without Jupyter or tslab they are pending with the
 * reason printed, except in CI (CI=true), where set-up must have installed them and their absence fails.
 */
export function requireJupyter(ctx: Mocha.Context, missing: () => string | undefined = notebookSupportMissing,
  log: (line: string) => void = console.log): void {
  const why = missing();
  if (why === undefined) return;
  if (process.env.CI === 'true') throw new Error(`CI: notebooks cannot run: ${why}`);
  log(`      pending: notebooks cannot run: ${why}`);
  ctx.skip();
}
