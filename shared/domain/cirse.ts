// The CIRSE classification of adverse events (Filippiadis et al., CVIR 2017): the grade a
// complication is recorded with. Each grade's short meaning is in the shared labels (`cirse.<grade>`).
export const CIRSE_GRADES = [1, 2, 3, 4, 5, 6] as const;
export type CirseGrade = (typeof CIRSE_GRADES)[number];

export const isCirseGrade = (n: number): n is CirseGrade => (CIRSE_GRADES as readonly number[]).includes(n);
