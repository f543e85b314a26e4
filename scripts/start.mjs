// `npm start`: build the site if needed, compile the server into plain JavaScript, then run it in a child
// process (no TypeScript loader in production: less memory, a faster start).
import { spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS, temporaryBundle } from './server-bundle.mjs';
import { ensureSiteBuilt } from './site.mjs';

ensureSiteBuilt();
const bundle = await temporaryBundle(['server/main.ts'], 'server-');
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, bundle.path('server/main.ts')], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => {
  bundle.remove();
  process.exit(code ?? (signal ? 1 : 0));
});
