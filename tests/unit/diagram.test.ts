import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STAGES, TRANSITIONS, stateMachineMarkdown, stateMachineMermaid } from '../../shared';

describe('state-machine diagram', () => {
  it('docs/state-machine.md is what the generator produces (run `npx tsx scripts/diagram.ts`)', () => {
    const committed = readFileSync(new URL('../../docs/state-machine.md', import.meta.url), 'utf8');
    expect(committed).toBe(stateMachineMarkdown());
  });

  it('draws every flow transition of the table and reaches every stage', () => {
    const mermaid = stateMachineMermaid();
    for (const t of TRANSITIONS.filter((t) => t.kind === 'flow')) expect(mermaid).toContain(`${t.from} --> ${t.to}: ${t.command}`);
    for (const s of STAGES) expect(mermaid).toMatch(new RegExp(`--> ${s}\\b`));
  });
});
