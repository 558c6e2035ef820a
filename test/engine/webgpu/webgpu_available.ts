import type {Context} from 'mocha';
import * as tf from '@tensorflow/tfjs';
import {probeWebGpu, startWebGpuBackend} from '../../../src/engine/webgpu';

const SETUP = 'sudo node scripts/setup.mjs (installs libvulkan1 and Mesa >= 23 lavapipe; on Debian 12 from bookworm-backports)';
let started: Promise<string | undefined> | undefined;

/** Starts the webgpu backend once per process (any adapter, lavapipe included); the reason when it cannot. */
function start(): Promise<string | undefined> {
  started ??= (async () => {
    const previous = tf.getBackend();
    const probe = await probeWebGpu();
    if (!probe.ok) return probe.reason;
    const ok = await startWebGpuBackend();
    if (previous) await tf.setBackend(previous);
    return ok ? undefined : 'the tfjs webgpu backend did not start';
  })();
  return started;
}

/**
 * For webgpu tests: makes sure the webgpu backend is registered and started (it does not stay
 * active: each test picks its backend). When it cannot start, CI=true fails (set-up must have
 * installed the Vulkan driver); elsewhere the test is marked pending, loudly, with the fix.
 */
export async function requireWebGpu(ctx: Context): Promise<void> {
  const reason = await start();
  if (reason === undefined) return;
  const msg = `the webgpu engine cannot start here: ${reason}. Fix: ${SETUP}`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${msg}`);
  process.stderr.write(`      (PENDING, NOT RUN: ${msg})\n`);
  ctx.skip();
}

export const WEBGPU = 'webgpu';
