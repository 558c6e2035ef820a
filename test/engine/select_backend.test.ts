import {strict as assert} from 'node:assert';
import {BACKENDS, isBackendName, selectBackend, threadSetting, type BackendLoaders, type BackendName,
  type LoadOutcome} from '../../src/engine/select_backend';
import {ReproError} from '../../src/util/errors';

// The selection logic with injected loaders. The real tfjs-node-gpu path needs a CUDA device and
// libtensorflow, neither of which exists on these machines: it cannot be tested here. The real
// webgpu loader is exercised on lavapipe by test/engine/webgpu/*.

/**
 * Loaders that succeed for `available` and record every call with its thread count. `fallbackOnly`:
 * webgpu finds only a CPU fallback adapter, which (like the real loader) it accepts only when forced.
 */
function fakeLoaders(available: readonly BackendName[], fallbackOnly = false):
  {loaders: BackendLoaders; calls: Array<[BackendName, number]>} {
  const calls: Array<[BackendName, number]> = [];
  const make = (name: BackendName) => async (threads: number, forced: boolean): Promise<LoadOutcome> => {
    calls.push([name, threads]);
    if (name === 'webgpu' && fallbackOnly && !forced) return {ok: false, reason: 'only a fallback adapter'};
    return available.includes(name) ? {ok: true, device: `fake ${name}`} : {ok: false, reason: `${name} missing`};
  };
  const loaders = Object.fromEntries(BACKENDS.map((n) => [n, make(n)])) as BackendLoaders;
  return {loaders, calls};
}

describe('engine/select_backend', () => {
  it('tries tfjs-node-gpu → webgpu → cpu-native → tfjs-node → cpu and stops at the first that loads', async () => {
    assert.deepEqual([...BACKENDS], ['tfjs-node-gpu', 'webgpu', 'cpu-native', 'tfjs-node', 'cpu']);
    const {loaders, calls} = fakeLoaders(['cpu-native', 'cpu']);
    const c = await selectBackend(loaders, {}, 4);
    assert.equal(c.name, 'cpu-native');
    assert.equal(c.device, 'fake cpu-native');
    assert.deepEqual(calls.map(([n]) => n), ['tfjs-node-gpu', 'webgpu', 'cpu-native']);
    // The reason says why each earlier engine was passed over.
    assert.match(c.reason, /tfjs-node-gpu: tfjs-node-gpu missing/);
    assert.match(c.reason, /webgpu: webgpu missing/);
  });

  it('a real WebGPU adapter comes before the CPU engines', async () => {
    const {loaders, calls} = fakeLoaders(['webgpu', 'cpu-native', 'tfjs-node', 'cpu']);
    assert.equal((await selectBackend(loaders, {}, 2)).name, 'webgpu');
    assert.deepEqual(calls.map(([n]) => n), ['tfjs-node-gpu', 'webgpu']);
  });

  it('a fallback (CPU) WebGPU adapter is passed over unless REPRO_BACKEND=webgpu asks for it', async () => {
    const {loaders} = fakeLoaders(['webgpu', 'cpu-native', 'cpu'], true);
    const auto = await selectBackend(loaders, {}, 2);
    assert.equal(auto.name, 'cpu-native');
    assert.match(auto.reason, /webgpu: only a fallback adapter/);
    assert.equal((await selectBackend(loaders, {REPRO_BACKEND: 'webgpu'}, 2)).name, 'webgpu');
  });

  it('never prefers tfjs-node over cpu-native: tfjs-node only when cpu-native cannot load or when asked', async () => {
    const both = fakeLoaders(['cpu-native', 'tfjs-node', 'cpu']);
    assert.equal((await selectBackend(both.loaders, {}, 2)).name, 'cpu-native');
    const noNative = fakeLoaders(['tfjs-node', 'cpu']);
    const c = await selectBackend(noNative.loaders, {}, 2);
    assert.equal(c.name, 'tfjs-node');
    assert.match(c.reason, /cpu-native: cpu-native missing/);
    assert.equal((await selectBackend(both.loaders, {REPRO_BACKEND: 'tfjs-node'}, 2)).name, 'tfjs-node');
  });

  it('prefers the GPU engine when it loads, without touching the others', async () => {
    const {loaders, calls} = fakeLoaders(['tfjs-node-gpu', 'tfjs-node', 'cpu-native', 'cpu']);
    const c = await selectBackend(loaders, {}, 2);
    assert.equal(c.name, 'tfjs-node-gpu');
    assert.deepEqual(calls.map(([n]) => n), ['tfjs-node-gpu']);
  });

  it('falls back to the pure-JS cpu backend when nothing else loads', async () => {
    const {loaders} = fakeLoaders(['cpu']);
    const c = await selectBackend(loaders, {}, 2);
    assert.equal(c.name, 'cpu');
    assert.match(c.reason, /cpu-native: cpu-native missing/);
  });

  it('fails with every reason when no engine loads at all', async () => {
    const {loaders} = fakeLoaders([]);
    await assert.rejects(selectBackend(loaders, {}, 2), /cpu-native missing.*cpu missing/s);
  });

  it('REPRO_BACKEND forces one engine and loads only that one', async () => {
    const {loaders, calls} = fakeLoaders(['tfjs-node-gpu', 'tfjs-node', 'cpu-native', 'cpu']);
    const c = await selectBackend(loaders, {REPRO_BACKEND: 'cpu'}, 2);
    assert.equal(c.name, 'cpu');
    assert.match(c.reason, /REPRO_BACKEND=cpu/);
    assert.deepEqual(calls.map(([n]) => n), ['cpu']);
  });

  it('a forced engine that cannot load is an error, never a silent fallback', async () => {
    const {loaders, calls} = fakeLoaders(['cpu']);
    await assert.rejects(selectBackend(loaders, {REPRO_BACKEND: 'cpu-native'}, 2),
      (err: unknown) => err instanceof ReproError && /REPRO_BACKEND=cpu-native/.test(err.message) &&
        /cpu-native missing/.test(err.message));
    assert.deepEqual(calls.map(([n]) => n), ['cpu-native']);
  });

  it('an unknown REPRO_BACKEND names the valid ones', async () => {
    const {loaders, calls} = fakeLoaders(['cpu']);
    await assert.rejects(selectBackend(loaders, {REPRO_BACKEND: 'tensorflow'}, 2),
      (err: unknown) => err instanceof ReproError && /REPRO_BACKEND="tensorflow"/.test(err.message) &&
        /cpu-native/.test(err.message));
    assert.equal(calls.length, 0);
    assert.ok(isBackendName('cpu-native'));
    assert.ok(!isBackendName('tensorflow'));
  });

  it('REPRO_THREADS sets the thread count handed to the loader; the default is the core count', async () => {
    const {loaders, calls} = fakeLoaders(['cpu']);
    assert.equal((await selectBackend(loaders, {REPRO_THREADS: '3'}, 8)).threads, 3);
    assert.equal((await selectBackend(loaders, {}, 8)).threads, 8);
    assert.deepEqual(calls.map(([, t]) => t), [3, 3, 3, 3, 3, 8, 8, 8, 8, 8]);
    assert.equal(threadSetting({REPRO_THREADS: ''}, 5), 5);
    for (const bad of ['0', '-1', '1.5', 'two']) {
      assert.throws(() => threadSetting({REPRO_THREADS: bad}, 4),
        (err: unknown) => err instanceof ReproError && err.message.includes(`REPRO_THREADS="${bad}"`));
    }
  });

  it('initBackend hands back the chosen engine active again after something switched the backend', async () => {
    const tf = await import('@tensorflow/tfjs');
    const {initBackend} = await import('../../src/engine/select_backend.js');
    const chosen = await initBackend(() => {});
    await tf.setBackend('cpu');
    const again = await initBackend(() => {});
    assert.equal(again, chosen);
    assert.equal(tf.getBackend(), chosen.name === 'tfjs-node' || chosen.name === 'tfjs-node-gpu' ? 'tensorflow' : chosen.name);
  });
});
