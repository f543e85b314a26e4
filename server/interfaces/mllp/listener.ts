import net, { type AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { RuleName, RuleParams } from '../../../shared';
import type { Hl7Config } from '../../config';
import type { BookingDeps } from '../bookings';
import { applyStored, receive, type Applied } from '../inbox';
import { buildAck, type AckCode, type AckReason } from './ack';
import { charsetOf, decode, encode, rawMsh18, type Charset } from './charset';
import { CR, FS, MllpDecoder, VT } from './framing';
import { parseMessage, readHeader, type Header } from './message';

// A frame begun and not finished within this time is a stalled or hostile client: its connection
// closes, so it holds no buffer and no socket for long.
const PARTIAL_FRAME_MS = 30_000;
// Messages waiting on one connection (each is answered in turn): an engine sends one and waits for its
// ACK; a client that floods without reading is cut off.
const MAX_QUEUED = 64;

export function frame(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.of(VT), bytes, Buffer.of(FS, CR)]);
}

function ackOf(outcome: Applied): { code: AckCode; reason: AckReason | null } {
  const reason = outcome.rule ? { rule: outcome.rule as RuleName, params: outcome.params ?? ({} as RuleParams) } : null;
  if (outcome.status === 'refused') return { code: 'AE', reason };
  if (outcome.status === 'rejected') return { code: 'AR', reason };
  return { code: 'AA', reason: null };
}

/**
 * The MLLP listener: one TCP server, each connection's messages taken one at a time in the order they
 * came. Each message is stored (and committed) in the inbox, applied, then acknowledged with the
 * outcome; a message that cannot even be stored is not acknowledged, so the engine sends it again.
 */
export class MllpListener {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #inFlight = new Set<Promise<void>>();
  #closing = false;

  constructor(
    private readonly deps: BookingDeps,
    private readonly config: Hl7Config,
    private readonly log: FastifyBaseLogger,
  ) {
    this.#server = net.createServer((socket) => this.#accept(socket));
    this.#server.on('error', (error) => this.log.error({ err: error }, 'MLLP listener error'));
  }

  async start(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.config.port ?? 0, this.config.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return this.address()!;
  }

  address(): AddressInfo | null {
    const address = this.#server.address();
    return address && typeof address !== 'string' ? address : null;
  }

  /** Stops taking connections, lets the messages being handled finish (a few seconds at most), then closes every socket. */
  async stop(): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const settle = Promise.allSettled([...this.#inFlight]);
    await Promise.race([settle, new Promise((r) => setTimeout(r, 5000).unref())]);
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #accept(socket: net.Socket) {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    const decoder = new MllpDecoder(this.config.maxMessageBytes);
    let chain: Promise<void> = Promise.resolve();
    let queued = 0;
    let stall: NodeJS.Timeout | null = null;
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('close', () => {
      this.#sockets.delete(socket);
      if (stall) clearTimeout(stall);
    });
    socket.on('error', (error) => this.log.warn({ err: error, peer }, 'MLLP connection error'));
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === 'oversize') {
          this.log.warn({ peer, maxBytes: this.config.maxMessageBytes }, 'MLLP frame over the size limit: connection closed');
          socket.destroy();
          return;
        }
        if (++queued > MAX_QUEUED) {
          this.log.warn({ peer }, 'MLLP client sends without reading its acknowledgements: connection closed');
          socket.destroy();
          return;
        }
        const work = chain.then(() => this.#handle(socket, event.bytes, peer)).finally(() => {
          queued -= 1;
          this.#inFlight.delete(work);
        });
        this.#inFlight.add(work);
        chain = work;
      }
      if (stall) clearTimeout(stall);
      stall = decoder.partial ? setTimeout(() => socket.destroy(), PARTIAL_FRAME_MS).unref() : null;
    });
  }

  async #handle(socket: net.Socket, bytes: Buffer, peer: string): Promise<void> {
    if (socket.destroyed) return;
    const msh18 = rawMsh18(bytes);
    const charset = charsetOf(msh18, this.config.defaultCharset);
    // A set we cannot read is still stored (as Latin-1, which any byte is) so the screen shows it.
    const text = decode(bytes, charset ?? 'iso-8859-1');
    const message = parseMessage(text);
    const header = message ? readHeader(message) : null;
    const reply = (code: AckCode, reason: AckReason | null, h: Partial<Header> | null, out: Charset) => {
      if (socket.destroyed) return;
      socket.write(frame(encode(buildAck(h, code, reason, { lang: 'fr', msh18 }), out)));
    };
    if (!header || !header.messageId) {
      // No MSH-10, no inbox key and nothing to acknowledge it by: refused as unreadable, not stored.
      this.log.warn({ peer }, 'MLLP message without a readable MSH or MSH-10: rejected');
      reply('AR', { rule: 'message_unreadable', params: { detail: header ? 'MSH-10' : 'MSH' } }, header, charset ?? 'iso-8859-1');
      return;
    }
    try {
      const received = await receive(this.deps, {
        channel: 'mllp',
        sender: header.sender,
        messageId: header.messageId.slice(0, 200),
        raw: text,
        charset: charset ?? (msh18.slice(0, 40) || '?'),
        messageType: header.type.slice(0, 40) || '?',
      });
      const outcome = await applyStored(this.deps, received.id);
      if (!outcome) throw new Error(`interface message ${received.id} vanished`);
      const { code, reason } = ackOf(outcome);
      this.log.info({ peer, id: received.id, type: header.type, status: outcome.status, duplicate: received.duplicate }, 'MLLP message');
      reply(code, reason, header, charset ?? 'iso-8859-1');
    } catch (error) {
      // Not stored, or stored and not applied (the disk, the database): no acknowledgement, so the
      // engine sends it again; a stored one is also applied at the next start.
      this.log.error({ err: error, peer, type: header.type }, 'MLLP message could not be stored or applied: no acknowledgement');
      socket.destroy();
    }
  }
}
