/** How much compute a reproduction gets: smoke (tests, seconds), quick (2-core CPU, < 60 min), paper (a GPU). */
export const Profile = {smoke: 'smoke', quick: 'quick', paper: 'paper'} as const;
export type Profile = (typeof Profile)[keyof typeof Profile];

export function isProfile(x: unknown): x is Profile {
  return typeof x === 'string' && (Object.values(Profile) as string[]).includes(x);
}
