import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {makeOptimizer} from '../../src/train/optimizers';

/** Scalar reference implementations of torch.optim.SGD and torch.optim.Adam. */
function sgdRef(w: number, grads: number[], lr: number, mom: number, wd: number): number {
  let buf = 0;
  grads.forEach((g0, t) => {
    const g = g0 + wd * w;
    buf = t === 0 ? g : mom * buf + g;
    w -= lr * buf;
  });
  return w;
}

function adamRef(w: number, grads: number[], lr: number, b1: number, b2: number, eps: number, wd: number): number {
  let m = 0, v = 0;
  grads.forEach((g0, i) => {
    const t = i + 1, g = g0 + wd * w;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mhat = m / (1 - b1 ** t), vhat = v / (1 - b2 ** t);
    w -= lr * mhat / (Math.sqrt(vhat) + eps);
  });
  return w;
}

describe('train/optimizers', () => {
  const grads = [0.5, -0.25, 1.0, 0.1];

  it('SGD with momentum and weight decay follows torch.optim.SGD', () => {
    const p = tf.variable(tf.scalar(2));
    const opt = makeOptimizer({type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-2});
    for (const g of grads) opt.step([p], [tf.scalar(g)], 0.1);
    assert.ok(Math.abs(p.dataSync()[0] - sgdRef(2, grads, 0.1, 0.9, 1e-2)) < 1e-6);
    opt.dispose(); p.dispose();
  });

  it('Adam follows torch.optim.Adam', () => {
    const p = tf.variable(tf.scalar(2));
    const opt = makeOptimizer({type: 'adam', lr: 0.01, weightDecay: 1e-3});
    for (const g of grads) opt.step([p], [tf.scalar(g)], 0.01);
    assert.ok(Math.abs(p.dataSync()[0] - adamRef(2, grads, 0.01, 0.9, 0.999, 1e-8, 1e-3)) < 1e-6);
    opt.dispose(); p.dispose();
  });

  it('restores its state so that continuing equals never stopping', () => {
    const run = (split: boolean): number => {
      const p = tf.variable(tf.scalar(2));
      let opt = makeOptimizer({type: 'adam', lr: 0.01});
      grads.slice(0, 2).forEach((g) => opt.step([p], [tf.scalar(g)], 0.01));
      if (split) {
        const saved = new Map([...opt.stateTensors()].map(([k, t]) => [k, tf.clone(t)]));
        const scalars = {...opt.scalars};
        opt.dispose();
        opt = makeOptimizer({type: 'adam', lr: 0.01});
        opt.loadState(saved, [p]);
        Object.assign(opt.scalars, scalars);
      }
      grads.slice(2).forEach((g) => opt.step([p], [tf.scalar(g)], 0.01));
      const w = p.dataSync()[0];
      opt.dispose(); p.dispose();
      return w;
    };
    assert.equal(run(true), run(false));
  });
});
