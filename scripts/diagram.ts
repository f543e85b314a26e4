// Regenerates docs/state-machine.md from the machine's transition table: `npx tsx scripts/diagram.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stateMachineMarkdown } from '../shared/domain/diagram';

const target = fileURLToPath(new URL('../docs/state-machine.md', import.meta.url));
writeFileSync(target, stateMachineMarkdown());
console.log(`wrote ${target}`);
