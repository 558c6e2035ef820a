import * as tf from '@tensorflow/tfjs';

/**
 * tf.variableGrads with the same maths and the same order of operations (the gradients are
 * bit-identical), but a backward pass that frees memory as it goes. tfjs's backward pass
 * (tfjs-core tape.ts, backpropagateGradients) keeps the gradient of every intermediate tensor,
 * and every tensor saved for the backward pass, until the whole pass ends: its peak holds all
 * activations and all their gradients at once, about twice what the step needs (ResNet-56 at
 * batch 128: 1.8 GB against PyTorch's 0.9). Here, once a node's input gradients are computed,
 * the gradients of its outputs and the tensors it saved are released: walking the tape backwards,
 * nothing later reads them.
 *
 * It drives the engine through the same internal steps as ENGINE.gradients (startTape, the
 * recorded tape, endTape), which tfjs 4.x keeps stable; the tests compare it with
 * tf.variableGrads bit for bit.
 */

interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: tf.Tensor[]) => Record<string, () => tf.Tensor>;
}

interface EngineInternals {
  state: {activeTape: TapeNode[] | null; gradientDepth: number};
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T;
}

function engineInternals(): EngineInternals {
  const e = tf.engine() as unknown as Partial<EngineInternals>;
  for (const m of ['scopedRun', 'startTape', 'endTape', 'tidy'] as const) {
    if (typeof e[m] !== 'function') throw new Error(`variableGrads: this TensorFlow.js engine has no ${m}(); expected tfjs-core 4.x`);
  }
  return e as EngineInternals;
}

/** The tape nodes on a path from one of `xs` to `y`, inputs pruned to those that depend on `xs` (as tfjs does). */
export function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodeFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      for (const o of node.outputs) fromX.add(o.id);
      nodeFromX.add(node.id);
    }
  }
  const toY = new Set([y.id]);
  const nodeToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      for (const t of Object.values(node.inputs)) toY.add(t.id);
      nodeToY.add(node.id);
    }
  }
  return tape.filter((n) => nodeFromX.has(n.id) && nodeToY.has(n.id)).map((n) => ({...n,
    inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id)))}));
}

/** Gradients of the scalar `f()` with respect to `vars` (trainable variables), like tf.variableGrads. */
export function variableGrads(f: () => tf.Scalar, vars: readonly tf.Variable[]): {value: tf.Scalar; grads: tf.NamedTensorMap} {
  const engine = engineInternals();
  const xs = vars.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error('variableGrads: none of the variables is trainable');
  const y = engine.scopedRun(() => engine.startTape(), () => engine.endTape(), () => engine.tidy('forward', f));
  if (!(y instanceof tf.Tensor) || y.rank !== 0) throw new Error('variableGrads: f must return a scalar tensor');
  const tape = engine.state.activeTape ?? [];
  const nested = engine.state.gradientDepth > 0;
  const nodes = nodesFromXsToY(tape, xs, y);
  const grads = engine.tidy('backward', () => {
    const acc = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]]);
    const returned = new Set(xs.map((x) => x.id));
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
      const inputGradients = node.gradient(node.outputs.map((o) => acc.get(o.id) as tf.Tensor));
      for (const [name, x] of Object.entries(node.inputs)) {
        const make = inputGradients[name];
        if (!make) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
        const dx = engine.tidy(`grad ${node.kernelName}`, make);
        if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}: the gradient of input ${name} must be float32, not ${dx.dtype}`);
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(`Error in gradient for op ${node.kernelName}: the gradient of input '${name}' has shape ${dx.shape}, the input ${x.shape}`);
        }
        const current = acc.get(x.id);
        if (current === undefined) acc.set(x.id, dx);
        else {
          acc.set(x.id, tf.add(current, dx));
          current.dispose();
        }
      }
      if (nested) continue;  // a higher-order gradient may still need everything
      // Walking backwards, nothing reads this node's output gradients or saved tensors again.
      const inputGrads = new Set(Object.values(node.inputs).map((x) => acc.get(x.id)));
      for (const o of node.outputs) {
        const g = acc.get(o.id);
        if (g === undefined || returned.has(o.id)) continue;
        acc.delete(o.id);
        if (!inputGrads.has(g)) g.dispose();
      }
      for (const t of node.saved ?? []) t.dispose();
    }
    const named: tf.NamedTensorMap = {};
    for (const x of xs) {
      const g = acc.get(x.id);
      if (g !== undefined) named[x.name] = g;
    }
    if (Object.keys(named).length === 0) throw new Error('variableGrads: no variable is connected to the result of f');
    return named;
  });
  if (!nested) {
    for (const node of tape) for (const t of node.saved ?? []) t.dispose();
    engine.state.activeTape = null;
  }
  return {value: y as tf.Scalar, grads};
}
