import { SIDES, TARGET_NERVES, type KnownNerve, type Side, type Target } from './targets';

// A planned target as the hospital's systems write it in free text ("intercostal T6 gauche",
// "Nerfs géniculés droite"): the nerve, an optional spinal level, and the side, which is required
// (a target without its side is no plan to treat). A text that does not read so gives no target, and
// the case is booked with targets to complete rather than with a guess.

const SIDE_WORDS: Readonly<Record<string, Side>> = {
  ...Object.fromEntries(SIDES.map((s) => [s, s])),
  gauche: 'left',
  g: 'left',
  droite: 'right',
  droit: 'right',
  d: 'right',
  bilateral: 'bilateral',
  bilaterale: 'bilateral',
  median: 'midline',
  mediane: 'midline',
};

// Words that say "a nerve" or "a cryoneurolysis" and nothing about which.
const FILLER = new Set(['nerf', 'nerfs', 'nerve', 'nerves', 'cryoneurolyse', 'cryoneurolysis', 'cryoanalgesie', 'du', 'de', 'des', 'of', 'the']);

const LEVEL = /^[ctls]\d{1,2}$/;

const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

// The unit's known nerves as the hospital's lists spell them, accents and hyphens aside.
const NERVE_WORDS: Readonly<Record<KnownNerve, readonly string[]>> = {
  intercostal: ['intercostal', 'intercostale', 'intercostaux'],
  greater_occipital: ['grand occipital', 'greater occipital'],
  pudendal: ['pudendal', 'honteux'],
  trigeminal: ['trigeminal', 'trijumeau'],
  great_auricular: ['grand auriculaire', 'great auricular'],
  cluneal: ['cluneal', 'cluneaux'],
  genicular: ['genicular', 'genicule', 'genicules', 'geniculaire', 'geniculaires'],
  suprascapular: ['suprascapular', 'suprascapulaire', 'sus scapulaire'],
  ankle: ['ankle', 'cheville'],
  cervical_facet: ['cervical facet', 'facettaire cervical', 'facettaires cervicaux'],
  lumbar_facet: ['lumbar facet', 'facettaire lombaire', 'facettaires lombaires'],
  sacroiliac: ['sacroiliac', 'sacro iliaque', 'sacro iliaques'],
  post_surgical_neuroma: ['post surgical neuroma', 'nevrome', 'nevrome cicatriciel', 'neuroma'],
  intercostobrachial: ['intercostobrachial'],
  other: [],
};

function nerveOf(words: string[]): string {
  const phrase = words.join(' ');
  const known = TARGET_NERVES.find((n) => n.replace(/_/g, ' ') === phrase || NERVE_WORDS[n].includes(phrase));
  return known ?? phrase;
}

/** One target read from its words, or null when its side or its nerve is missing. */
export function readTarget(text: string): Target | null {
  const words = plain(text)
    .split(/[\s,()-]+/)
    .filter((w) => w !== '' && !FILLER.has(w));
  const sideAt = words.findIndex((w) => w in SIDE_WORDS);
  if (sideAt < 0) return null;
  const side = SIDE_WORDS[words[sideAt]!]!;
  const rest = words.filter((_, i) => i !== sideAt);
  const level = rest.find((w) => LEVEL.test(w));
  const nerveWords = rest.filter((w) => w !== level);
  if (nerveWords.length === 0) return null;
  const nerve = nerveOf(nerveWords).slice(0, 80);
  return { nerve, ...(level ? { level: level.toUpperCase() } : {}), side };
}

/**
 * The targets of a list ("intercostal T6 gauche; intercostal T7 gauche"), separated by ';', '+' or a
 * new line; null when any of them does not read, since half a plan is not the plan.
 */
export function readTargets(text: string): Target[] | null {
  const parts = text
    .split(/[;+\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 8) return null;
  const targets = parts.map(readTarget);
  return targets.every((t): t is Target => t !== null) ? targets : null;
}
