import {execFileSync} from 'node:child_process';
import {resolveChromium} from '../../src/report/browser';

/**
 * Tests that need Chromium (or poppler's pdftotext) call this first: without it they are pending
 * with the reason printed, except in CI (CI=true), where set-up must have installed it and its
 * absence is a failure.
 */
export function requireTool(ctx: Mocha.Context, tool: 'chromium' | 'pdftotext', log: (line: string) => void = console.log): void {
  const missing = tool === 'chromium' ? chromiumMissing() : commandMissing('pdftotext', ['-v']);
  if (missing === undefined) return;
  const why = `${tool} is not available (${missing}); install it with apt-get install ${tool === 'chromium' ? 'chromium' : 'poppler-utils'}`;
  if (process.env.CI === 'true') throw new Error(`CI: ${why}`);
  log(`      pending: ${why}`);
  ctx.skip();
}

function chromiumMissing(): string | undefined {
  try {
    resolveChromium();
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

function commandMissing(cmd: string, args: string[]): string | undefined {
  try {
    execFileSync(cmd, args, {stdio: 'ignore'});
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}
