import { LOCAL_ANESTHETIC_CLASS, type LocalAnestheticAgent } from './anesthetics';

// The allergies the procedure room acts on: the drugs it gives, what touches the skin, the
// contrast of CT guidance. Anything else is `other`, told in the checklist's details.
export const ALLERGENS = [
  'local_anesthetic_amide',
  'local_anesthetic_ester',
  'chlorhexidine',
  'povidone_iodine',
  'latex',
  'iodinated_contrast',
  'benzodiazepine',
  'opioid',
  'other',
] as const;
export type Allergen = (typeof ALLERGENS)[number];

// Sedation drugs stay free text (the unit's own spellings), so their class is read from the name.
// Names in lower case without accents; a name containing one of them belongs to the class.
const DRUG_CLASSES: readonly { allergen: Allergen; names: readonly string[] }[] = [
  {
    allergen: 'benzodiazepine',
    names: ['midazolam', 'diazepam', 'lorazepam', 'alprazolam', 'clonazepam', 'oxazepam', 'bromazepam', 'clorazepate', 'prazepam', 'lormetazepam', 'remimazolam'],
  },
  {
    allergen: 'opioid',
    names: ['fentanyl', 'sufentanil', 'alfentanil', 'remifentanil', 'morphin', 'nalbuphine', 'tramadol', 'oxycodone', 'hydromorphone', 'pethidine', 'codeine', 'buprenorphine', 'tapentadol'],
  },
];

const normalise = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

// The allergen class a sedation drug belongs to, if the name is a known one.
export function sedationAllergen(drug: string): Allergen | null {
  const name = normalise(drug);
  return DRUG_CLASSES.find((c) => c.names.some((n) => name.includes(n)))?.allergen ?? null;
}

// Whether an allergy of a sedation drug class is on file: the sedation form then asks the
// radiologist's override reason up front, since any drug of that class would be refused.
export function sedationAllergyOnFile(allergies: { has: boolean; allergens?: readonly Allergen[] } | null): boolean {
  return !!allergies?.has && DRUG_CLASSES.some((c) => (allergies.allergens ?? []).includes(c.allergen));
}

export const anestheticAllergen = (agent: LocalAnestheticAgent): Allergen =>
  LOCAL_ANESTHETIC_CLASS[agent] === 'amide' ? 'local_anesthetic_amide' : 'local_anesthetic_ester';

// The allergy on file that forbids this drug, or null: what the drug forms show in red and what
// decide() refuses with allergy_to_agent.
export function allergyConflict(
  allergies: { has: boolean; allergens?: readonly Allergen[] } | null,
  drug: { agent: LocalAnestheticAgent } | { sedation: string },
): Allergen | null {
  if (!allergies?.has) return null;
  const allergen = 'agent' in drug ? anestheticAllergen(drug.agent) : sedationAllergen(drug.sedation);
  return allergen !== null && (allergies.allergens ?? []).includes(allergen) ? allergen : null;
}
