import type {RunResult} from '../runs/result';

/** Results of one experiment's runs, by run name (RunSpec.name). */
export type RunResults = ReadonlyMap<string, RunResult>;

export const Verdict = {
  reproduced: 'reproduced',
  notReproduced: 'not reproduced',
  notRun: 'not run',
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
}
