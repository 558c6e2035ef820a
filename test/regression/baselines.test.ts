import {strict as assert} from 'node:assert';
import {EXPERIMENTS} from '../../experiments/index';
import {Profile} from '../../experiments/profile';
import {evaluateClaim, meets} from '../../src/claims/evaluate';
import {Verdict} from '../../src/claims/claim';
import {baselineDir, readBaselineClaims, readBaselineResults} from '../../src/pipeline/baselines';

/**
 * Generated from the experiment registry: for every claim, the committed baseline of each
 * profile (reports/baselines/<profile>/claims.json) must still hold under the claim's current
 * expectation and tolerance, and claims measured without training (A, B7) must measure the same
 * value today. The smoke profile's re-run determinism is in test/pipeline/smoke_reproduce.test.ts.
 */
const PROFILES: readonly Profile[] = [Profile.smoke, Profile.quick];
/** Experiments whose claims are computed facts, not training results: re-measured here. */
const RECOMPUTED = new Set(['A', 'B7']);

for (const profile of PROFILES) {
  describe(`regression: committed ${profile} baselines (${baselineDir(profile)})`, function () {
    this.timeout(120_000);
    const baseline = readBaselineClaims(profile);
    if (!baseline) {
      it(`${profile} baselines are committed`, function () {
        if (profile === Profile.quick) {
          const msg = 'no committed quick baselines yet: run `npm run reproduce` then the baselines command ' +
            '(`npm run baselines -- --profile quick`) and commit reports/baselines/quick/';
          console.log(`\n    ${'!'.repeat(8)} ${msg} ${'!'.repeat(8)}\n`);
          this.skip();
        }
        assert.fail(`reports/baselines/${profile}/claims.json is missing: run \`npm run baselines -- --profile ${profile}\` and commit it`);
      });
      return;
    }
    const results = readBaselineResults(profile);
    for (const exp of EXPERIMENTS) {
      const committed = results.get(exp.id);
      for (const claim of exp.claims) {
        // With the runs' full results committed (every profile but smoke), the claim is evaluated
        // again by today's code: its measurement, not only its verdict, must be what was committed.
        if (committed && !RECOMPUTED.has(exp.id)) {
          it(`${claim.id}: re-evaluated from the committed ${exp.id} results, it measures the committed value`, () => {
            const b = baseline.find((c) => c.id === claim.id);
            assert.ok(b, `${claim.id} is not in the committed ${profile} baseline: regenerate it`);
            const today = evaluateClaim(claim, committed);
            assert.equal(today.verdict, b.verdict, `${claim.id}: "${today.verdict}" today (${today.note ?? ''}), "${b.verdict}" committed`);
            if (typeof today.measured === 'number' && typeof b.measured === 'number') {
              assert.ok(Math.abs(today.measured - b.measured) <= 1e-9 * Math.max(1, Math.abs(b.measured)),
                `${claim.id}: measures ${today.measured} from the committed results, ${b.measured} committed`);
            } else {
              assert.equal(today.measured, b.measured);
            }
          });
        }
        it(`${claim.id}: the committed verdict holds under the current expectation (${exp.id})`, () => {
          const b = baseline.find((c) => c.id === claim.id);
          assert.ok(b, `${claim.id} is not in the committed ${profile} baseline: regenerate it`);
          if (b.verdict === Verdict.notRun) {
            assert.ok(b.note, `${claim.id}: a not-run claim without its reason`);
            assert.ok(b.command, `${claim.id}: a not-run claim without its command`);
            return;
          }
          assert.notEqual(b.measured, undefined, `${claim.id}: a verdict without a measured value`);
          const now = meets(claim.expected, b.measured!) ? Verdict.reproduced : Verdict.notReproduced;
          assert.equal(now, b.verdict, `${claim.id}: measured ${String(b.measured)} is now "${now}" (committed "${b.verdict}"): ` +
            'the expectation or tolerance changed; regenerate the baselines if intended');
          if (RECOMPUTED.has(exp.id)) {
            const today = claim.measure(new Map());
            if (typeof today === 'number' && typeof b.measured === 'number') {
              assert.ok(Math.abs(today - b.measured) <= 1e-9 * Math.max(1, Math.abs(b.measured)),
                `${claim.id}: measures ${today} today, ${b.measured} in the baseline`);
            } else {
              assert.equal(today, b.measured);
            }
          }
        });
      }
    }
  });
}

