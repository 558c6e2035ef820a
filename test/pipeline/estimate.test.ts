import {strict as assert} from 'node:assert';
import type {RunResult} from '../../src/runs/result';
import {secondsPerWork, undisturbedSeconds} from '../../src/pipeline/estimate';

/** A finished run of `model` whose epochs took the given seconds, 1,000 images each at that speed. */
function run(model: string, epochSeconds: number[]): RunResult {
  const history = epochSeconds.map((s, i) => ({epoch: i + 1, wallMs: s * 1000, imgPerSec: 1000 / s}));
  const wallMs = epochSeconds.reduce((a, s) => a + s, 0) * 1000;
  return {status: 'done', spec: {model}, history, wallMs} as unknown as RunResult;
}

describe('pipeline/estimate', () => {
  it('takes a run as undisturbed: its median epoch time × its epochs, whatever one stalled epoch took', () => {
    assert.equal(undisturbedSeconds(run('resnet20', [10, 10, 3600, 10])), 40);
    assert.equal(undisturbedSeconds(run('resnet20', [10, 12, 3600, 14])), 52);
    assert.equal(undisturbedSeconds(run('resnet20', [])), 0);
  });

  it('scales the estimate from undisturbed runs: an hour\'s pause in one run does not move it', () => {
    const quiet = secondsPerWork([run('resnet20', [10, 10, 10, 10]), run('resnet56', [28, 28, 28, 28])]);
    const paused = secondsPerWork([run('resnet20', [10, 10, 10, 10]), run('resnet56', [28, 3628, 28, 28])]);
    assert.ok(quiet !== undefined && quiet > 0);
    assert.equal(paused, quiet);
  });
});
