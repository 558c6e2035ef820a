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

/**
 * How one effect decides, from its interval over seeds (95%, or its `look`'s level):
 * - `above`: reproduced when the interval lies wholly above `threshold` (the claim's own minimum
 *   effect where it states one: "orders of magnitude" → 1 decade), not reproduced when wholly below;
 * - `below`: the mirror image;
 * - `within`: an equivalence claim ("≈"): reproduced when the interval lies inside (−margin, margin),
 *   not reproduced when it lies wholly outside it.
 * Anything else is inconclusive.
 */
export type EffectRule =
  | {readonly kind: 'above'; readonly threshold: number}
  | {readonly kind: 'below'; readonly threshold: number}
  | {readonly kind: 'within'; readonly margin: number};

/** One quantity a trained claim is decided on, computed per seed (paired within the seed where the design pairs runs). */
export interface Effect {
  /** What it is, in words: "train error plain56 − plain20". */
  readonly name: string;
  /** The effect in one seed's runs (throws when a run it needs is missing: the claim is then 'not run'). */
  readonly perSeed: (results: RunResults, seed: number) => number;
  readonly rule: EffectRule;
  /** Its own unit where it differs from the claim's (B6 decides an error difference and a loss rise). */
  readonly unit?: Expectation['unit'];
  /**
   * The run roles it reads ("plain56" for runs "plain56.s<seed>"), where its experiment also trains
   * runs it does not read: its claim waits only for planned runs of these roles, and it is decided over
   * the seeds every one of them has. Default: every run of the experiment, every seed among them.
   */
  readonly roles?: readonly string[];
  /** The seeds it is decided over, where `roles` alone cannot say (B2 reads one of two budgets' pairs). */
  readonly seeds?: (results: RunResults) => readonly number[];
  /**
   * Where its design looks at the data more than once (B2's 100-epoch pair), which look these results
   * are: that look's interval level, and at the last look what would decide it instead of more seeds.
   * Default (and `undefined`): the design's one look, at 95%.
   */
  readonly look?: (results: RunResults) => Look | undefined;
}

/**
 * One look of a design that decides on its data more than once, each look at a level chosen before
 * the first (Bonferroni: the levels' misses add up, so the looks together keep their stated error).
 */
export interface Look {
  /** The two-sided level of this look's interval, e.g. 0.975. */
  readonly level: number;
  /** Why this level, in words, for the rule: "the second of two looks: seeds 3–10 at 95%, then 3–18 at 97.5% (…)". */
  readonly why: string;
  /** Set at the design's last look: what would decide it, said instead of a seed count (more seeds would be another look). */
  readonly afterLast?: string;
}

export interface Claim {
  readonly id: string;
  readonly statement: string;
  readonly source: {readonly doc: string; readonly where: string};
  /** Computed facts (architecture, recipe): one value judged by `expected` (throws if it cannot be measured). */
  readonly measure?: (results: RunResults) => number | boolean;
  /**
   * Trained claims: the effects that must all hold, each decided by its interval over the seeds
   * present (any one wholly on the wrong side → not reproduced; all on the claim's side → reproduced).
   */
  readonly effects?: readonly Effect[];
  /** True for checks of our own specs (B7): the verdict is 'encoded', never 'reproduced'. */
  readonly encoded?: boolean;
  readonly expected: Expectation;
}

/** One effect's decision, kept in claims.json beside the claim's overall verdict. */
export interface EffectVerdict {
  readonly name: string;
  readonly verdict: Verdict;
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly n: number;
  readonly perSeed: readonly number[];
  readonly rule: string;
  /** The interval's two-sided level where it is not 0.95 (a design's later look, `Effect.look`). */
  readonly level?: number;
  /** Where the rule's boundary lies (the threshold, or −margin and +margin), for figures. */
  readonly bounds: readonly number[];
  readonly decide?: string;
  /** The effect's own unit, where it differs from the claim's. */
  readonly unit?: Expectation['unit'];
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
  /** Point estimate of the claim's effect over seeds (the claim's unit, or `unit`), for trained claims. */
  readonly estimate?: number;
  /** The estimate's unit where the deciding effect has its own (else expected.unit). */
  readonly unit?: Expectation['unit'];
  /** Interval of `estimate`: 95%, or `level` (see `interval` for how it was computed). */
  readonly ci?: readonly [number, number];
  /** The level of `ci` where it is not 0.95 (the deciding effect is a design's later look). */
  readonly level?: number;
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
  /** Every effect of a trained claim with its own decision (the claim's fields repeat the deciding one). */
  readonly effects?: readonly EffectVerdict[];
}
