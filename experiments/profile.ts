/**
 * How much compute a reproduction gets: smoke (tests, seconds), quick (a 2-core CPU, < 60 min, many
 * claims honestly inconclusive), standard (a 2-core CPU for ≈ 25 h in sittings: decides B1–B6 and E1),
 * paper (the published recipes; a GPU or a cluster).
 */
export const Profile = {smoke: 'smoke', quick: 'quick', standard: 'standard', paper: 'paper'} as const;
export type Profile = (typeof Profile)[keyof typeof Profile];

export function isProfile(x: unknown): x is Profile {
  return typeof x === 'string' && (Object.values(Profile) as string[]).includes(x);
}
