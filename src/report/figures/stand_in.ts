import type {VegaLiteSpec} from '../vega_types';

/**
 * Marks a figure as drawn from stand-in data, in the figure itself (a caption can be separated
 * from it; the figure is what gets copied onto a slide): a coloured subtitle under its title.
 */
export function markStandIn(spec: VegaLiteSpec, text: string): VegaLiteSpec {
  const mark = `⚠ ${text}`;
  const style = {color: '#A40E26', fontSize: 10, fontStyle: 'italic', fontWeight: 'normal', anchor: 'start'} as const;
  const title = spec.title;
  // vega draws no subtitle under an empty title: an untitled figure gets the mark as its title.
  if (title === undefined || title === '') return {...spec, title: {text: mark, ...style}} as VegaLiteSpec;
  const base = typeof title === 'string' || Array.isArray(title) ? {text: title} : title;
  return {...spec, title: {...base, subtitle: mark, subtitleColor: style.color, subtitleFontSize: style.fontSize,
    subtitleFontStyle: style.fontStyle, anchor: 'start'}} as VegaLiteSpec;
}

/** "ours: Fashion-MNIST standing in for CIFAR-10". */
export function standInText(dataName: string): string {
  const label = dataName === 'fashion-mnist' ? 'Fashion-MNIST' : dataName === 'synthetic' ? 'synthetic 8×8 images (a pipeline test)' : dataName;
  return `ours: ${label} standing in for CIFAR-10`;
}
