import { describe, expect, it } from 'vitest';
import { anestheticMg } from '$shared';
import type { TimelineEntry } from '$lib/api/client';
import { changedMeanwhile } from '$lib/changed-meanwhile';
import { eventSummary } from '$lib/event-summary';
import { language } from '$lib/i18n/language.svelte';
import { PATH, at, goodAldrete, goodPadss, play, radiologist, type Step } from '../helpers/scenario';

// The lines a tablet writes from the case's events. Checked by what they carry (who, when, which
// figures), not by their wording, which lives in the label catalogue.
const timeline = (steps: Step[]): TimelineEntry[] => play(steps).map((e, i) => ({ ...e, seq: 100 + i, version: i + 1 }));
const entry = (steps: Step[], type: TimelineEntry['type']) => timeline(steps).find((e) => e.type === type)!;

describe('what changed meanwhile, told to a stale tap', () => {
  it('says one line per event after the version acted on, oldest first, with who and when on the unit clock', () => {
    const all = timeline(PATH.freezing);
    const since = all.length - 2;
    const lines = changedMeanwhile([...all].reverse(), since);
    expect(lines).toHaveLength(2);
    const [probe, freeze] = all.slice(since);
    expect(lines[0]).toContain(probe!.actor.name);
    expect(lines[1]).toContain(freeze!.actor.name);
    // T0 + n minutes is 09:n in Paris in March (UTC+1).
    for (const [line, event] of [[lines[0]!, probe!], [lines[1]!, freeze!]] as const) {
      const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(new Date(event.occurredAt));
      expect(line).toContain(paris);
    }
    expect(lines[0]).not.toBe(lines[1]);
  });

  it('says nothing when nothing was recorded after that version', () => {
    const all = timeline(PATH.admitted);
    expect(changedMeanwhile(all, all.length)).toEqual([]);
  });

  it('follows the screen language', () => {
    const all = timeline(PATH.admitted);
    const before = language.current;
    try {
      language.current = 'fr';
      const fr = changedMeanwhile(all, 0);
      language.current = 'en';
      const en = changedMeanwhile(all, 0);
      expect(fr).toHaveLength(all.length);
      expect(en).toHaveLength(all.length);
      expect(fr).not.toEqual(en);
    } finally {
      language.current = before;
    }
  });
});

describe('the one-line summary of an event', () => {
  it('gives the anaesthetic’s dose in mg, from its concentration and volume', () => {
    const given = entry(PATH.anesthetised, 'LocalAnesthesiaGiven');
    const d = given.data as { concentrationPercent: number; volumeMl: number };
    for (const lang of ['fr', 'en'] as const) {
      const line = eventSummary(given, lang);
      expect(line).toContain(`${d.volumeMl} mL`);
      expect(line).toContain(`${anestheticMg(d.concentrationPercent, d.volumeMl)} mg`);
    }
  });

  it('gives the Aldrete and PADSS totals out of 10', () => {
    const steps: Step[] = [...PATH.dischargeable];
    const padss = goodPadss as unknown as Record<string, number>;
    const padssTotal = ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding'].reduce((sum, k) => sum + padss[k]!, 0);
    expect(eventSummary(entry(steps, 'PadssRecorded'), 'fr')).toContain(`${padssTotal}/10`);
    const aldrete = goodAldrete as unknown as Record<string, number>;
    const aldreteTotal = ['activity', 'respiration', 'circulation', 'consciousness', 'oxygenSaturation'].reduce((sum, k) => sum + aldrete[k]!, 0);
    const sedated: Step[] = [
      ...PATH.inRoom,
      { type: 'give_sedation', drug: 'midazolam', dose: '1 mg', by: radiologist },
      ...PATH.observing.slice(PATH.inRoom.length),
      { ...goodAldrete, occurredAt: at(119) },
    ];
    expect(eventSummary(entry(sedated, 'AldreteRecorded'), 'en')).toContain(`${aldreteTotal}/10`);
  });

  it('names the room entered, and nothing rather than an id for a room no longer configured', () => {
    const entered = entry(PATH.inRoom, 'RoomEntered');
    expect(eventSummary(entered, 'fr', [{ id: 'r1', name: 'Salle bleue' }])).toBe('Salle bleue');
    expect(eventSummary(entered, 'fr', [])).toBe('');
  });

  it('gives the freeze’s end temperature and ice ball, and a pain score out of 10', () => {
    const ended = entry(PATH.thawing, 'FreezeEnded');
    const d = ended.data as { lowestTempC: number; iceBallMm: number };
    expect(eventSummary(ended, 'en')).toContain(`${d.lowestTempC} °C · ${d.iceBallMm} mm`);
    const pain = entry([...PATH.admitted, { type: 'record_pain_score', score: 6, moment: 'admission' }], 'PainScoreRecorded');
    expect(eventSummary(pain, 'fr')).toMatch(/^6\/10 · /);
  });

  it('writes a summary in each language for every event of a whole day, none left as a raw key', () => {
    for (const e of timeline(PATH.discharged))
      for (const lang of ['fr', 'en'] as const) expect(eventSummary(e, lang), e.type).not.toMatch(/\b[a-z]+_[a-z_]+\.[a-z_]+\b|undefined|NaN/);
  });
});

describe('the summary of new planned targets', () => {
  it('says the targets before and after in words, or that they were completed when there were none', () => {
    const steps: Step[] = [{ type: 'plan_targets', plannedTargets: [{ nerve: 'genicular', side: 'right' }], by: radiologist }];
    const changed = entry(steps, 'TargetsPlanned');
    expect(eventSummary(changed, 'fr')).toBe('Avant : Nerf intercostal T5 — Gauche ; désormais : Nerfs géniculés (genou) — Droite');
    expect(eventSummary(changed, 'en')).toMatch(/^Before: .+; now: .+$/);
    if (changed.type !== 'TargetsPlanned') throw new Error('no TargetsPlanned entry');
    const completed = { ...changed, data: { ...changed.data, previousTargets: [] } };
    expect(eventSummary(completed, 'fr')).toBe('Complétées : Nerfs géniculés (genou) — Droite');
  });
});
