import { CONTRAINDICATIONS, mergeChecklist, type Checklist, type Contraindication } from '$shared';
import { FormDraft, type DraftAccess } from './form-draft.svelte';

export type { FieldConflict } from './form-draft.svelte';

/** The checklist as the nurse's form holds it: radio answers as '' | 'yes' | 'no', text as typed. */
export interface ChecklistFields {
  identityVerified: boolean;
  consentSigned: boolean;
  anticoagulants: string;
  anticoagulantsManaged: boolean;
  antiInflammatories: string;
  antiInflammatoriesManaged: boolean;
  allergies: string;
  /** Allergen codes, comma-separated, so "changed" compares like every other answer. */
  allergens: string;
  allergyDetails: string;
  /** As typed (a comma or a point for decimals). */
  weightKg: string;
  escortName: string;
  escortPhone: string;
  contraindications: Record<Contraindication, string>;
}

type FlatKey = Exclude<keyof ChecklistFields, 'contraindications'>;
const FLAT_KEYS: FlatKey[] = [
  'identityVerified',
  'consentSigned',
  'anticoagulants',
  'anticoagulantsManaged',
  'antiInflammatories',
  'antiInflammatoriesManaged',
  'allergies',
  'allergens',
  'allergyDetails',
  'weightKg',
  'escortName',
  'escortPhone',
];

// "64,5" typed and 64.5 saved are the same weight: the form is not left "unsaved" by the decimal mark.
const weightOf = (typed: string) => (typed.trim() === '' ? null : Number(typed.trim().replace(',', '.')));

const CHECKLIST_ACCESS: DraftAccess<ChecklistFields> = {
  keys: [...FLAT_KEYS, ...CONTRAINDICATIONS.map((k) => `contra.${k}`)],
  read: (f, key) => {
    if (key.startsWith('contra.')) return f.contraindications[key.slice(7) as Contraindication];
    if (key === 'weightKg') return String(weightOf(f.weightKg) ?? '');
    return f[key as FlatKey];
  },
  write: (f, key, value) => {
    if (key.startsWith('contra.')) f.contraindications[key.slice(7) as Contraindication] = value as string;
    else (f as unknown as Record<string, unknown>)[key] = value;
  },
};

const yesNo = (d: { taken: boolean } | null) => (d === null ? '' : d.taken ? 'yes' : 'no');

export function fieldsOf(c: Checklist): ChecklistFields {
  return {
    identityVerified: c.identityVerified,
    consentSigned: c.consentSigned,
    anticoagulants: yesNo(c.anticoagulants),
    anticoagulantsManaged: c.anticoagulants?.managed ?? false,
    antiInflammatories: yesNo(c.antiInflammatories),
    antiInflammatoriesManaged: c.antiInflammatories?.managed ?? false,
    allergies: c.allergies === null ? '' : c.allergies.has ? 'yes' : 'no',
    allergens: (c.allergies?.allergens ?? []).join(','),
    allergyDetails: c.allergies?.details ?? '',
    weightKg: c.weightKg == null ? '' : String(c.weightKg),
    escortName: c.escort?.name ?? '',
    escortPhone: c.escort?.phone ?? '',
    contraindications: Object.fromEntries(CONTRAINDICATIONS.map((k) => [k, c.contraindications[k] ?? ''])) as Record<Contraindication, string>,
  };
}

/**
 * The checklist form's state, shared by the form and the case page. It knows which answers this nurse
 * has changed since the checklist was last saved (by anyone): those survive other people's commands,
 * the untouched ones follow the case. The page uses it to say "not saved yet" and to save before
 * "mark ready".
 */
export class ChecklistDraft extends FormDraft<ChecklistFields> {
  constructor(checklist: Checklist, version: number) {
    super(CHECKLIST_ACCESS, fieldsOf(checklist), version);
  }

  /** A newer case version: see FormDraft.sync (contraindications are keyed `contra.<key>`). */
  syncChecklist(checklist: Checklist, version: number, own = false) {
    this.sync(fieldsOf(checklist), version, own);
  }

  /** A draft kept across a sign-in; one kept from before the weight and allergens were asked lacks them. */
  override restore(fields: ChecklistFields) {
    super.restore({ ...fields, allergens: fields.allergens ?? '', weightKg: fields.weightKg ?? '' });
  }

  /** One of the escort's two fields without the other: the payload leaves the escort out. */
  readonly escortIncomplete = $derived(!this.form.escortName.trim() !== !this.form.escortPhone.trim());

  /** The record_checklist payload: every answer given, so a partial pass never erases one. */
  payload(): Record<string, unknown> {
    const f = this.form;
    const out: Record<string, unknown> = { identityVerified: f.identityVerified, consentSigned: f.consentSigned };
    if (f.anticoagulants) out.anticoagulants = { taken: f.anticoagulants === 'yes', ...(f.anticoagulants === 'yes' ? { managed: f.anticoagulantsManaged } : {}) };
    if (f.antiInflammatories)
      out.antiInflammatories = { taken: f.antiInflammatories === 'yes', ...(f.antiInflammatories === 'yes' ? { managed: f.antiInflammatoriesManaged } : {}) };
    if (f.allergies) {
      const allergens = f.allergies === 'yes' ? f.allergens.split(',').filter(Boolean) : [];
      out.allergies = {
        has: f.allergies === 'yes',
        ...(allergens.length > 0 ? { allergens } : {}),
        ...(f.allergies === 'yes' && f.allergyDetails.trim() ? { details: f.allergyDetails.trim() } : {}),
      };
    }
    const weight = weightOf(f.weightKg);
    if (weight !== null && Number.isFinite(weight)) out.weightKg = weight;
    if (f.escortName.trim() && f.escortPhone.trim()) out.escort = { name: f.escortName.trim(), phone: f.escortPhone.trim() };
    const screened = Object.fromEntries(Object.entries(f.contraindications).filter(([, v]) => v !== ''));
    if (Object.keys(screened).length > 0) out.contraindications = screened;
    return out;
  }

  /** The checklist as it will be once this draft is saved: what the blocker list shows before saving. */
  merged(current: Checklist): Checklist {
    return mergeChecklist(current, this.payload() as Parameters<typeof mergeChecklist>[1]);
  }
}
