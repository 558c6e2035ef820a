import type {RunResult} from '../runs/result';

/** Results of one experiment's runs, by run name (RunSpec.name). */
export type RunResults = ReadonlyMap<string, RunResult>;

/**
 * A claim's decision. Trained claims are decided from an interval over seeds: wholly on the claim's
 * side → reproduced; wholly on the other → not reproduced; straddling → inconclusive (with what would
 * decide it). 'encoded': a check of our own specs (never evidence about the paper). 'not run': cannot
 * run here (reason and command given).
 */
export const Verdict = {
  reproduced: 'reproduced',
  notReproduced: 'not reproduced',
  inconclusive: 'inconclusive',
  notRun: 'not run',
  encoded: 'encoded',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/**
 * How a measured value is judged. 'lt'/'gt': the measured value must be below/above `threshold`
 * (default 0; e.g. "plain-56 error minus plain-20 error > 0"). 'approx': within `tolerance` of
 * `paper`. 'true': the measure is a boolean fact that must hold.
 */
export interface Expectation {
  readonly holds: 'lt' | 'gt' | 'approx' | 'true';
  readonly paper?: number;
  /** Text of the published result when it is not a single number ("curves only", "+13 points"). */
  readonly paperText?: string;
  readonly threshold?: number;
  readonly tolerance?: {readonly abs?: number; readonly rel?: number};
  /** Unit for display: '%' multiplies fractions by 100. */
  readonly unit?: '%' | 'M' | 'G' | '' | 'points';
}

export interface Claim {
  readonly id: string;
  readonly statement: string;
  readonly source: {readonly doc: string; readonly where: string};
  /** Computes the measured value from stored results (throws if a needed run is missing). */
  readonly measure: (results: RunResults) => number | boolean;
  readonly expected: Expectation;
}

export interface ClaimVerdict {
  readonly id: string;
  readonly statement: string;
  readonly source: {readonly doc: string; readonly where: string};
  readonly verdict: Verdict;
  readonly measured?: number | boolean;
  readonly expected: Expectation;
  /** Human-readable tolerance/criterion used. */
  readonly criterion: string;
  /** Why it was not run, or what to note (e.g. a stand-in data set). */
  readonly note?: string;
  /** The command that would run it, for 'not run'. */
  readonly command?: string;
  /** Point estimate of the claim's effect over seeds (the claim's unit), for trained claims. */
  readonly estimate?: number;
  /** 95% interval of `estimate` (see `interval` for how it was computed). */
  readonly ci?: readonly [number, number];
  /** Number of independent seeds the estimate is made from. */
  readonly n?: number;
  /** The decision rule in words, e.g. "reproduced when the 95% t-interval of (plain56 − plain20) lies above 0". */
  readonly rule?: string;
  /** How the interval was computed, e.g. "t (n − 1 df)". */
  readonly interval?: string;
  /** The per-seed values behind the estimate (paired effects where the design pairs runs), seed order. */
  readonly perSeed?: readonly number[];
  /** For 'inconclusive': what would decide it (e.g. "about 9 seeds at the measured spread"). */
  readonly decide?: string;
}
