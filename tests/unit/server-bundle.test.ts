import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/server-bundle.mjs';

// The image starts the server itself (no npm in the container's command): it must run the same build
// with the same node flags as `npm start`, or production would not be what the bench measured.
describe('the server image', () => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

  it('builds the server bundle and runs it with the node flags npm start uses', () => {
    expect(dockerfile).toMatch(/node scripts\/server-bundle\.mjs build\/server/);
    const cmd = /^CMD (.+)$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...SERVER_NODE_FLAGS, 'build/server/server/main.mjs']);
  });
});
