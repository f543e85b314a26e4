// Ceiling (b): a bare `ws` server that, on request, sends each of M small JSON messages to every
// socket, one send per socket per message, the naive broadcast. Runs in its own process like the real server.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => process.send?.({ port: (wss.address() as { port: number }).port }));
process.on('message', (msg: { count: number }) => {
  let i = 0;
  const sendOne = () => {
    // Yield to the event loop between messages so sockets drain, as a live server must.
    const message = JSON.stringify({ type: 'event', seq: ++i, caseId: 'c', event: { type: 'VitalsRecorded', occurredAt: new Date().toISOString() } });
    for (const client of wss.clients) client.send(message);
    if (i < msg.count) setImmediate(sendOne);
  };
  sendOne();
});
