import type {Command} from '../command';
import {parseArgs} from '../args';
import {countMacs, countParams} from '../../models/count';
import {buildModel, modelConfig, modelNames} from '../../models/registry';

const USAGE = `usage: repro models [--json] [NAME...]

Lists the model zoo: for every registered model (or the NAMEs given) its parameter count (as
torchvision counts them: weights, biases and BN affine, not BN running statistics), its
multiply-adds for one image at its default input size (conv: Hout·Wout·Cout·kh·kw·Cin/groups,
fully connected: in·out; BN, ReLU, additions and pooling not counted), and that input size.
Counts come from the built model. --json prints a JSON array of {name, params, macs, input}.

NAMEs follow the registry's scheme: resnet18|34|50|101|152, resnext50_32x4d, vgg16, vgg19,
resnet<d>/plain<d> (CIFAR, d = 6n+2, or 7/9), suffixes _A _B _C _drop<rate> _v1 _tiny _seqhead.`;

export interface ModelRow {
  name: string;
  params: number;
  macs: number;
  /** [height, width, channels] */
  input: [number, number, number];
}

/** Builds each model once (weights left at zero), counts, and frees it. */
export function modelRows(names: readonly string[]): ModelRow[] {
  return names.map((name) => {
    const config = modelConfig(name);
    const model = buildModel(config, {initialize: false});
    try {
      return {name, params: countParams(model), macs: countMacs(model), input: [...config.inputShape] as [number, number, number]};
    } finally {
      model.dispose();
    }
  });
}

function formatMacs(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : `${(n / 1e6).toFixed(1)} M`;
}

export function formatTable(rows: readonly ModelRow[]): string {
  const cells = [['name', 'params', 'MACs', 'input'],
    ...rows.map((r) => [r.name, r.params.toLocaleString('en-US'), formatMacs(r.macs), r.input.join('×')])];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  '))
    .join('\n') + '\n';
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the model zoo with parameter and multiply-add counts',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('models', argv, {flags: ['json'], positional: 'NAME...'});
    const names = args.positional.length > 0 ? args.positional : modelNames();
    // Resolve every name first so a typo fails before any model is built.
    for (const n of names) modelConfig(n);
    const rows = modelRows(names);
    process.stdout.write(args.flags.has('json') ? JSON.stringify(rows, null, 2) + '\n' : formatTable(rows));
    return 0;
  },
};
