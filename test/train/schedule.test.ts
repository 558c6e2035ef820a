import {strict as assert} from 'node:assert';
import {initialScheduleState, learningRate, observeEpoch, observeTrainError} from '../../src/train/schedule';
import type {ScheduleSpec} from '../../src/runs/spec';

describe('train/schedule', () => {
  it('divides by 10 at the paper milestones (32k, 48k)', () => {
    const spec: ScheduleSpec = {type: 'multistep', milestones: [32000, 48000], gamma: 0.1};
    const s = initialScheduleState(spec);
    assert.equal(learningRate(spec, 0.1, 0, s), 0.1);
    assert.ok(Math.abs(learningRate(spec, 0.1, 32000, s) - 0.01) < 1e-12);
    assert.ok(Math.abs(learningRate(spec, 0.1, 48000, s) - 0.001) < 1e-12);
  });

  it("warms up at 0.01 until the training error falls below 80% (ResNet-110)", () => {
    const spec: ScheduleSpec = {type: 'multistep', milestones: [32000], gamma: 0.1, warmup: {lr: 0.01, untilTrainError: 0.8}};
    const s = initialScheduleState(spec);
    assert.equal(learningRate(spec, 0.1, 5, s), 0.01);
    observeTrainError(spec, 0.85, s);
    assert.equal(learningRate(spec, 0.1, 6, s), 0.01);
    observeTrainError(spec, 0.79, s);
    assert.equal(learningRate(spec, 0.1, 7, s), 0.1);
  });

  it('reduces on plateau after `patience` epochs without improvement', () => {
    const spec: ScheduleSpec = {type: 'plateau', factor: 0.5, patience: 1};
    const s = initialScheduleState(spec);
    for (const loss of [1.0, 0.9, 0.95, 0.96]) observeEpoch(spec, 0.1, loss, s);
    assert.equal(learningRate(spec, 0.1, 100, s), 0.05);
  });
});
