/** A form field's value as the tablet holds it: text as typed, a radio's value, a tick. */
export type DraftValue = string | boolean;

/** A field this tablet changed that a colleague saved differently meanwhile: the user chooses. */
export interface FieldConflict {
  key: string;
  mine: DraftValue;
  theirs: DraftValue;
}

/** How a form's fields are named, read and written (a form may nest some, e.g. the contraindications). */
export interface DraftAccess<F> {
  keys: readonly string[];
  read(fields: F, key: string): DraftValue;
  write(fields: F, key: string, value: DraftValue): void;
}

/** Access to a form whose fields are all at the top level. */
export function flatAccess<F extends object>(keys: readonly (keyof F & string)[]): DraftAccess<F> {
  return {
    keys,
    read: (fields, key) => (fields as Record<string, DraftValue>)[key]!,
    write: (fields, key, value) => {
      (fields as Record<string, DraftValue>)[key] = value;
    },
  };
}

/**
 * The state of a multi-field form on a tablet another tablet may also be saving: which fields this
 * user changed, which a colleague's save has changed meanwhile, and the case version the form's view
 * is complete at. Fields only the colleague changed are taken silently; a field both changed
 * differently is a conflict the user settles; until then the save is sent at the draft's version,
 * never rebased on the newest one, so the server refuses it as stale.
 *
 * Two kinds of form use it: those that edit the case's current record (checklist, schedule: `sync`),
 * and those that add a new reading each time (vitals, PADSS: `weigh`).
 */
export class FormDraft<F extends object> {
  form = $state<F>() as F;
  /** What "changed" is measured against: the record as last received, or a blank reading. */
  #base = $state<F>() as F;
  /** The version this draft's view of its fields is complete at: what a save is sent against. */
  #version = $state(0);
  /** The newest version seen. */
  #latest = 0;
  readonly #access: DraftAccess<F>;
  /** A colleague's saved values that clash with this user's unsaved ones, waiting for a choice. */
  conflicts = $state<FieldConflict[]>([]);

  constructor(access: DraftAccess<F>, fields: F, version: number) {
    this.#access = access;
    this.form = structuredClone(fields);
    this.#base = structuredClone(fields);
    this.#version = version;
    this.#latest = version;
  }

  get expectedVersion(): number {
    return this.#version;
  }

  /** The fields this user has changed and not saved. */
  readonly changed = $derived.by(() => this.#access.keys.filter((k) => this.#access.read(this.form, k) !== this.#access.read(this.#base, k)));

  get dirty(): boolean {
    return this.changed.length > 0;
  }

  /**
   * A newer case version arrived with the record as it now stands: every field this user has not
   * touched takes its saved value; a field changed here that a colleague saved to something else
   * becomes a conflict. A version this tablet's own command produced (`own`) raises none.
   */
  sync(fresh: F, version: number, own = false) {
    if (version <= this.#latest) return;
    this.#latest = version;
    const { keys, read, write } = this.#access;
    const conflicts = [...this.conflicts];
    for (const key of keys) {
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
    this.#base = structuredClone(fresh);
    this.conflicts = conflicts;
    if (conflicts.length === 0) this.#version = version;
  }

  /**
   * A newer case version arrived; `theirs` is the reading a colleague recorded with it, if any. With
   * nothing typed here there is nothing to weigh: the form stays blank. Otherwise a field left blank
   * here takes the colleague's value, and one filled differently is a conflict.
   */
  weigh(theirs: F | null, version: number) {
    if (version <= this.#latest) return;
    this.#latest = version;
    if (theirs && this.dirty) {
      const { keys, read, write } = this.#access;
      const conflicts = [...this.conflicts];
      for (const key of keys) {
        const blank = read(this.#base, key);
        const value = read(theirs, key);
        const mine = read(this.form, key);
        if (value === blank || value === mine) continue;
        if (mine === blank) write(this.form, key, value);
        else if (!conflicts.some((c) => c.key === key)) conflicts.push({ key, mine, theirs: value });
      }
      this.conflicts = conflicts;
    }
    if (this.conflicts.length === 0) this.#version = version;
  }

  /** The user settles one conflict: their own value, or the colleague's. */
  choose(key: string, pick: 'mine' | 'theirs') {
    const conflict = this.conflicts.find((c) => c.key === key);
    if (!conflict) return;
    // Their own value is whatever the field holds now (they may have typed on meanwhile).
    if (pick === 'theirs') this.#access.write(this.form, key, conflict.theirs);
    this.conflicts = this.conflicts.filter((c) => c.key !== key);
    if (this.conflicts.length === 0) this.#version = this.#latest;
  }

  /** A draft kept across a sign-in (session expired): its values count as changed. */
  restore(fields: F) {
    this.form = fields;
  }

  /** After this tablet's own save of a new reading: a blank form again, at the saved version. */
  clear(blank: F, version: number) {
    this.form = structuredClone(blank);
    this.#base = structuredClone(blank);
    this.conflicts = [];
    this.#latest = Math.max(this.#latest, version);
    this.#version = this.#latest;
  }
}
