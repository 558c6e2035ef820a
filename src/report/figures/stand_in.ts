import type {VegaLiteSpec} from '../vega_types';

/**
 * Marks a figure as drawn from stand-in data, in the figure itself (a caption can be separated
 * from it; the figure is what gets copied onto a slide): a coloured subtitle under its title.
 */
export function markStandIn(spec: VegaLiteSpec, text: string): VegaLiteSpec {
  const title = spec.title;
  const base = title === undefined ? {text: ''} : typeof title === 'string' || Array.isArray(title) ? {text: title} : title;
  return {...spec, title: {...base, subtitle: `⚠ ${text}`, subtitleColor: '#A40E26', subtitleFontSize: 10, subtitleFontStyle: 'italic', anchor: 'start'}} as VegaLiteSpec;
}

/** "ours: Fashion-MNIST standing in for CIFAR-10, not comparable number for number with the paper's". */
export function standInText(dataName: string): string {
  const label = dataName === 'fashion-mnist' ? 'Fashion-MNIST' : dataName === 'synthetic' ? 'synthetic 8×8 images (a pipeline test)' : dataName;
  return `ours: ${label} standing in for CIFAR-10; the paper's numbers are CIFAR-10's`;
}
