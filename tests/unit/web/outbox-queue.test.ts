import { describe, expect, it } from 'vitest';
import { fold, type CaseState, type CommandAnswer } from '$shared';
import { abandon, optimistic, prepare, replay, resend, tapTime, type OutboxEntry, type Outcome, type Refusal } from '$lib/offline/outbox-queue';
import { PATH, at, context, goodPadss, normalVitals, nurse, play } from '../helpers/scenario';

const observing = (): CaseState => fold(play(PATH.observing));
const { type: _v, ...vitals } = normalVitals as { type: string } & Record<string, unknown>;
const { type: _p, ...padss } = goodPadss as { type: string } & Record<string, unknown>;

let keys = 0;
const newKey = () => `key-${++keys}`;

function entry(state: CaseState, type: 'record_vitals' | 'record_padss' | 'discharge', payload: Record<string, unknown>, minute: number, order: number): OutboxEntry {
  const prepared = prepare(state, type, payload, at(minute), context({ now: at(minute) }));
  if (!prepared.ok) throw new Error(`refused: ${prepared.rejection.rule}`);
  return { key: newKey(), userId: nurse.id, caseId: state.id, order, body: prepared.body };
}

/** Vitals then PADSS, tapped offline one after the other on the optimistic state. */
function twoTaps() {
  const base = observing();
  const first = entry(base, 'record_vitals', vitals, 110, 1);
  const afterFirst = optimistic(base, [first], context()).state;
  const second = entry(afterFirst, 'record_padss', padss, 111, 2);
  return { base, first, second };
}

const answer = (state: CaseState): CommandAnswer => ({ case: state, events: [] });

function port(outcomes: Outcome[]) {
  const sent: string[] = [];
  const refused: [string, Refusal][] = [];
  const tried: string[] = [];
  return {
    sent,
    refused,
    tried,
    port: {
      send: async (e: OutboxEntry) => {
        tried.push(e.key);
        return outcomes.shift() ?? { kind: 'unreachable' as const };
      },
      sent: (e: OutboxEntry) => void sent.push(e.key),
      refused: (e: OutboxEntry, r: Refusal) => void refused.push([e.key, r]),
    },
  };
}

describe('the outbox: what a tap becomes', () => {
  it('given an observed patient, when vitals are tapped offline, then the body carries the tap time and the version it was based on', () => {
    const base = observing();
    const prepared = prepare(base, 'record_vitals', vitals, at(110), context({ now: at(110) }));
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.body).toMatchObject({ type: 'record_vitals', expectedVersion: base.version, occurredAt: at(110), heartRate: vitals.heartRate });
  });

  it('given an observed patient without a PADSS, when discharge is tapped offline, then it is refused at once with the rule, and the same tap is allowed once the scores are in', () => {
    const base = observing();
    const refused = prepare(base, 'discharge', { escortConfirmed: true, instructionsGiven: true }, at(116), context({ now: at(116) }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.rejection.code).toBe('rule_violated');
    const scored = fold(play(PATH.dischargeable));
    expect(prepare(scored, 'discharge', { escortConfirmed: true, instructionsGiven: true }, at(116), context({ now: at(116) })).ok).toBe(true);
  });

  it('never dates a tap before the case’s last step (a tablet clock a little behind)', () => {
    const base = observing();
    expect(tapTime(base, at(50))).toBe(base.lastOccurredAt);
    expect(tapTime(base, at(120))).toBe(at(120));
  });
});

describe('the outbox: what the screen shows meanwhile', () => {
  it('applies the waiting steps in order on the server’s state, with the shared fold', () => {
    const { base, first, second } = twoTaps();
    const shown = optimistic(base, [second, first], context());
    expect(shown.applied).toEqual([first.key, second.key]);
    expect(shown.state.version).toBe(base.version + 2);
    expect(shown.state.vitals.length).toBe(base.vitals.length + 1);
  });

  it('stops at an entry the case has moved on under (a colleague’s step arrived), and at a refused one', () => {
    const { base, first, second } = twoTaps();
    const moved = { ...base, version: base.version + 1 };
    expect(optimistic(moved, [first, second], context()).applied).toEqual([]);
    const refused = { ...first, refused: { status: 409, code: 'version_conflict', detail: 'changed' } };
    expect(optimistic(base, [refused, second], context()).state).toBe(base);
  });
});

describe('the outbox: replay', () => {
  it('sends the entries oldest first, each once, and removes each as it is recorded', async () => {
    const { base, first, second } = twoTaps();
    const run = port([{ kind: 'sent', answer: answer(base) }, { kind: 'sent', answer: answer(base) }]);
    expect(await replay([second, first], run.port)).toBe('done');
    expect(run.tried).toEqual([first.key, second.key]);
    expect(run.sent).toEqual([first.key, second.key]);
  });

  it('stops everything when no answer comes, and starts again from the same entry with the same key', async () => {
    const { first, second } = twoTaps();
    const down = port([{ kind: 'unreachable' }]);
    expect(await replay([first, second], down.port)).toBe('unreachable');
    expect(down.tried).toEqual([first.key]);
    const back = port([]);
    await replay([first, second], back.port);
    expect(back.tried[0]).toBe(first.key);
  });

  it('stops on an expired session without marking anything refused', async () => {
    const { first, second } = twoTaps();
    const run = port([{ kind: 'signed_out' }]);
    expect(await replay([first, second], run.port)).toBe('signed_out');
    expect(run.refused).toEqual([]);
  });

  it('holds a case’s queue behind a refused entry, and goes on with the other cases', async () => {
    const { base, first, second } = twoTaps();
    const other: OutboxEntry = { ...first, key: 'other-case', caseId: 'case-2', order: 3 };
    const conflict: Refusal = { status: 409, code: 'version_conflict', detail: 'Le dossier a changé', currentVersion: base.version + 1 };
    const run = port([{ kind: 'refused', refusal: conflict }, { kind: 'sent', answer: answer(base) }]);
    expect(await replay([first, second, other], run.port)).toBe('done');
    expect(run.refused).toEqual([[first.key, conflict]]);
    expect(run.tried).toEqual([first.key, 'other-case']);
    // Held while its refusal waits for the user.
    const again = port([]);
    await replay([{ ...first, refused: conflict }, second], again.port);
    expect(again.tried).toEqual([]);
  });
});

describe('the outbox: after a refusal, the user chooses', () => {
  it('"send again" puts the refused entry and those after it on the case as it now is, in order, with new keys', () => {
    const { base, first, second } = twoTaps();
    const refused = { ...first, refused: { status: 409, code: 'version_conflict', detail: 'changed', currentVersion: base.version + 1 } };
    const again = resend([refused, second], first.key, base.version + 1, newKey);
    const [a, b] = again;
    expect(a!.refused).toBeUndefined();
    expect(a!.body.expectedVersion).toBe(base.version + 1);
    expect(b!.body.expectedVersion).toBe(base.version + 2);
    expect(new Set([a!.key, b!.key, first.key, second.key]).size).toBe(4);
    expect(a!.body.occurredAt).toBe(first.body.occurredAt);
  });

  it('"give up" drops that entry alone; the rest of the queue goes on', () => {
    const { first, second } = twoTaps();
    expect(abandon([first, second], first.key)).toEqual([second]);
  });
});
