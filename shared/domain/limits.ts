// Numbers both the rules and the sentences that state them need: a label interpolates these, so a
// change here changes what the screens say too.

/** The 0–10 numeric pain rating scale. */
export const PAIN_SCALE = { min: 0, max: 10 } as const;

/** PADSS and modified Aldrete: five criteria scored 0, 1 or 2 each. */
export const SCORE_CRITERIA = 5;
export const SCORE_CRITERION_MAX = 2;
export const SCORE_MAX = SCORE_CRITERIA * SCORE_CRITERION_MAX;

/** The longest period one export covers, in days (a leap year). */
export const MAX_RANGE_DAYS = 366;

/** An act that enters the room at most this long after its booked time counts as on time (docs/reports.md). */
export const ON_TIME_MINUTES = 15;
