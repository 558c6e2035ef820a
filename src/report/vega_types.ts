// vega and vega-lite are ESM-only packages; this project compiles to CommonJS, so their types
// are imported in 'import' resolution mode and their code is loaded with a real dynamic import.
export type {TopLevelSpec as VegaLiteSpec} from 'vega-lite' with {'resolution-mode': 'import'};
