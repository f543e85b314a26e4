import { CONTRAINDICATIONS, mergeChecklist, type Checklist, type Contraindication } from '$shared';

/** The checklist as the nurse's form holds it: radio answers as '' | 'yes' | 'no', text as typed. */
export interface ChecklistFields {
  identityVerified: boolean;
  consentSigned: boolean;
  anticoagulants: string;
  anticoagulantsManaged: boolean;
  antiInflammatories: string;
  antiInflammatoriesManaged: boolean;
  allergies: string;
  allergyDetails: string;
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
  'allergyDetails',
  'escortName',
  'escortPhone',
];

/** A checklist answer this nurse changed that a colleague saved differently meanwhile: she chooses. */
export interface FieldConflict {
  /** A flat field name, or `contra.<key>` for a contraindication. */
  key: string;
  mine: string | boolean;
  theirs: string | boolean;
}

const ALL_KEYS = (): string[] => [...FLAT_KEYS, ...CONTRAINDICATIONS.map((k) => `contra.${k}`)];

function read(f: ChecklistFields, key: string): string | boolean {
  return key.startsWith('contra.') ? f.contraindications[key.slice(7) as Contraindication] : f[key as FlatKey];
}

function write(f: ChecklistFields, key: string, value: string | boolean) {
  if (key.startsWith('contra.')) f.contraindications[key.slice(7) as Contraindication] = value as string;
  else (f as unknown as Record<string, unknown>)[key] = value;
}

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
    allergyDetails: c.allergies?.details ?? '',
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
export class ChecklistDraft {
  form = $state<ChecklistFields>() as ChecklistFields;
  /** The checklist as last received from the server: what "changed" is measured against. */
  #base = $state<ChecklistFields>() as ChecklistFields;
  /** The version this draft's view of the checklist is complete at: what a save is sent against. */
  #version = $state(0);
  /** The newest version seen. */
  #latest = 0;
  /** A colleague's saved answers that clash with this nurse's unsaved ones, waiting for her choice. */
  conflicts = $state<FieldConflict[]>([]);

  constructor(checklist: Checklist, version: number) {
    this.form = fieldsOf(checklist);
    this.#base = fieldsOf(checklist);
    this.#version = version;
    this.#latest = version;
  }

  get expectedVersion(): number {
    return this.#version;
  }

  /** The answers this nurse has changed and not saved, by field name (contraindications as `contra.<key>`). */
  readonly changed = $derived.by(() => [
    ...FLAT_KEYS.filter((k) => this.form[k] !== this.#base[k]),
    ...CONTRAINDICATIONS.filter((k) => this.form.contraindications[k] !== this.#base.contraindications[k]).map((k) => `contra.${k}`),
  ]);

  get dirty(): boolean {
    return this.changed.length > 0;
  }

  /** One of the escort's two fields without the other: the payload leaves the escort out. */
  readonly escortIncomplete = $derived(!this.form.escortName.trim() !== !this.form.escortPhone.trim());

  /**
   * A newer case version arrived: every field this nurse has not touched takes its saved answer; a
   * field she changed that a colleague also saved, to something else, becomes a conflict she settles.
   * Until then the draft's version stays behind, so a save would be refused as stale. A version this
   * tablet's own command produced (`own`: a correction, say) raises no conflict: her typing stands.
   */
  sync(checklist: Checklist, version: number, own = false) {
    if (version <= this.#latest) return;
    this.#latest = version;
    const fresh = fieldsOf(checklist);
    const conflicts = [...this.conflicts];
    for (const key of ALL_KEYS()) {
      const mine = read(this.form, key);
      const before = read(this.#base, key);
      const theirs = read(fresh, key);
      const known = conflicts.findIndex((c) => c.key === key);
      if (mine === before && known < 0) write(this.form, key, theirs);
      else if (theirs === mine) {
        if (known >= 0) conflicts.splice(known, 1);
      } else if (!own && (theirs !== before || known >= 0)) {
        const conflict = { key, mine, theirs };
        if (known >= 0) conflicts[known] = conflict;
        else conflicts.push(conflict);
      }
    }
    this.#base = fresh;
    this.conflicts = conflicts;
    if (conflicts.length === 0) this.#version = version;
  }

  /** The nurse settles one conflict: her own answer, or the colleague's (which then counts as unchanged). */
  choose(key: string, pick: 'mine' | 'theirs') {
    const conflict = this.conflicts.find((c) => c.key === key);
    if (!conflict) return;
    // Her own answer is whatever the field holds now (she may have typed on meanwhile).
    if (pick === 'theirs') write(this.form, key, conflict.theirs);
    this.conflicts = this.conflicts.filter((c) => c.key !== key);
    if (this.conflicts.length === 0) this.#version = this.#latest;
  }

  /** A draft kept across a sign-in (session expired): its answers count as changed. */
  restore(fields: ChecklistFields) {
    this.form = fields;
  }

  /** The record_checklist payload: every answer given, so a partial pass never erases one. */
  payload(): Record<string, unknown> {
    const f = this.form;
    const out: Record<string, unknown> = { identityVerified: f.identityVerified, consentSigned: f.consentSigned };
    if (f.anticoagulants) out.anticoagulants = { taken: f.anticoagulants === 'yes', ...(f.anticoagulants === 'yes' ? { managed: f.anticoagulantsManaged } : {}) };
    if (f.antiInflammatories)
      out.antiInflammatories = { taken: f.antiInflammatories === 'yes', ...(f.antiInflammatories === 'yes' ? { managed: f.antiInflammatoriesManaged } : {}) };
    if (f.allergies)
      out.allergies = { has: f.allergies === 'yes', ...(f.allergies === 'yes' && f.allergyDetails.trim() ? { details: f.allergyDetails.trim() } : {}) };
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
