// `npm run dev`: the API server restarting on change (tsx watch) and Vite's dev server with hot reload,
// which proxies /api and the websocket to it (web/vite.config.ts).
import { spawn } from 'node:child_process';

const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, CRYODAY_DEMO: process.env.CRYODAY_DEMO ?? '1' },
  }),
  spawn('npx', ['vite', 'dev', '--port', process.env.WEB_PORT ?? '5173'], { cwd: 'web', stdio: 'inherit' }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => { stop(); process.exitCode = code ?? 0; });
