import type {ClaimVerdict} from '../claims/claim';
import type {VegaLiteSpec} from './vega_types';

/**
 * The report's whole input as plain data: no tensors, no tfjs, nothing with side effects. The
 * pipeline (experiments + claims + run store) fills it; writeReport renders it; a notebook can
 * build one by hand. Serialisable as JSON so that a report can be re-rendered from report.json.
 */
export interface ReportInput {
  readonly title: string;
  readonly subtitle?: string;
  /** 'smoke' | 'quick' | 'paper' or any other profile name. */
  readonly profile: string;
  /** ISO 8601 time the results were gathered (set by the caller, so renders are reproducible). */
  readonly generatedAt: string;
  /** Paragraphs on the title page under the title (what was reproduced, on what). */
  readonly summary: readonly string[];
  /** Data caveat shown with the claims table, e.g. "Fashion-MNIST stand-in for CIFAR-10". */
  readonly dataNote?: string;
  readonly claims: readonly ClaimVerdict[];
  readonly sections: readonly ReportSection[];
  readonly provenance: ReportProvenance;
  readonly outOfScope: readonly OutOfScope[];
}

/** One experiment: its claims, prose, figures and tables. */
export interface ReportSection {
  /** Experiment id, e.g. "degradation"; also the HTML anchor. */
  readonly id: string;
  readonly title: string;
  /** Ids of the claims this experiment decides (listed at the top of the section). */
  readonly claimIds: readonly string[];
  readonly paragraphs: readonly string[];
  readonly figures: readonly ReportFigure[];
  readonly tables: readonly ReportTable[];
}

export interface ReportFigure {
  /** File-safe id: figures/<id>.vl.json, .svg, .png. */
  readonly id: string;
  /** Caption without the "Figure N:" prefix (numbering is the renderer's job). */
  readonly caption: string;
  /** A complete vega-lite spec with its data inlined (see src/report/figures/). */
  readonly spec: VegaLiteSpec;
}

export interface ReportTable {
  readonly id: string;
  readonly caption: string;
  readonly columns: readonly TableColumn[];
  /** Cells already formatted as text, one array per row in column order. */
  readonly rows: readonly (readonly string[])[];
}

export interface TableColumn {
  readonly label: string;
  /** Numbers are right-aligned so that digits line up. */
  readonly align: 'left' | 'right';
}

export interface ReportProvenance {
  readonly commit: string;
  /** Uncommitted changes in the working tree when the runs were made. */
  readonly dirty: boolean;
  readonly backend: string;
  readonly device: string;
  /** The kind of CPU the runs trained on (cpu_kind.ts), when any run records it. */
  readonly cpu?: string;
  /** The WebGPU adapter with its limits, when runs trained on webgpu. */
  readonly adapter?: string;
  readonly threads: number;
  readonly node: string;
  readonly tfjs: string;
  readonly data: readonly {readonly name: string; readonly checksum: string}[];
  readonly runs: readonly ReportRun[];
}

export interface ReportRun {
  readonly hash: string;
  readonly experiment: string;
  /** The run's name inside its experiment (RunSpec.name), e.g. "plain56". */
  readonly name: string;
  /** 'missing': planned but not in the store (its claims are 'not run'). */
  readonly status: 'done' | 'diverged' | 'missing';
}

export interface OutOfScope {
  readonly what: string;
  readonly why: string;
}
