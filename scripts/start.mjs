// `npm start`: build the site if needed, then run the server (TypeScript through tsx) in this process.
import { spawn } from 'node:child_process';
import { ensureSiteBuilt } from './site.mjs';

ensureSiteBuilt();
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
