import net from 'node:net';

// HL7 v2 messages as a radiology scheduling system would send them, written for these tests: segments
// joined by CR, the default delimiters, times in the unit's wall clock (no offset), as most engines do.

export interface SiuFields {
  trigger: 'S12' | 'S13' | 'S14' | 'S15' | 'S26';
  controlId: string;
  placer: string;
  filler: string;
  mrn: string;
  family?: string;
  given?: string;
  birth?: string;
  sex?: string;
  /** YYYYMMDDHHMM[SS] */
  start?: string;
  room?: string;
  /** AIS-3 text */
  service?: string;
  notes?: string[];
  reason?: string;
  charset?: string;
  sender?: string;
  version?: string;
  /** PID-3 with its repetitions, when the test needs several identifiers. */
  pid3?: string;
}

export function siu(f: SiuFields): string {
  const sender = f.sender ?? 'RIS_IMAGERIE|CHU_NORD';
  const pid3 = f.pid3 ?? `${f.mrn}^^^CHU_NORD^PI`;
  const start = f.start ?? '';
  return [
    `MSH|^~\\&|${sender}|CRYODAY|RADIO_INTERV|20261201080000||SIU^${f.trigger}^SIU_S12|${f.controlId}|P|${f.version ?? '2.5'}||||||${f.charset ?? ''}`,
    `SCH|${f.placer}^DPI|${f.filler}^RIS||||^${f.reason ?? ''}|^Douleur post-thoracotomie|ROUTINE|45|min|^^45^${start}^|||||||||||||||BOOKED`,
    ...(f.notes ?? []).map((n, i) => `NTE|${i + 1}||${n}`),
    `PID|1||${pid3}||${f.family ?? 'LEFEBVRE'}^${f.given ?? 'Hélène'}^^^^^L||${f.birth ?? '19580314'}|${f.sex ?? 'F'}|||12 rue des Tilleuls^^Lille^^59000^FRA`,
    'RGS|1|A',
    `AIS|1|A|${f.service ?? 'CRYO^Cryoneurolyse'}|${start}|0|min|45|min`,
    `AIL|1|A|RADIO_INTERV^${f.room ?? 'Salle 1'}^^CHU_NORD|SALLE`,
    'AIP|1|A|10203040506^ROCHE^Marc^^^Dr|RADIOLOGUE',
  ].join('\r');
}

export interface AdtFields {
  trigger: 'A08' | 'A31';
  controlId: string;
  mrn: string;
  family: string;
  given: string;
  birth: string;
  sex?: string;
  charset?: string;
}

export function adt(f: AdtFields): string {
  return [
    `MSH|^~\\&|DPI_ADMISSION|CHU_NORD|CRYODAY|RADIO_INTERV|20261201081500||ADT^${f.trigger}^ADT_A01|${f.controlId}|P|2.5||||||${f.charset ?? ''}`,
    `EVN|${f.trigger}|20261201081500`,
    `PID|1||${f.mrn}^^^CHU_NORD^PI||${f.family}^${f.given}^^^^^L||${f.birth}|${f.sex ?? 'F'}`,
    'PV1|1|O',
  ].join('\r');
}

/** How a message's bytes are written: UTF-8 when its MSH-18 says so, else ISO 8859-1 (the server's default). */
export const encodingOf = (text: string): 'utf8' | 'latin1' => (text.split('\r')[0]!.split('|')[17] === 'UNICODE UTF-8' ? 'utf8' : 'latin1');

export const frame = (bytes: Buffer) => Buffer.concat([Buffer.from([0x0b]), bytes, Buffer.from([0x1c, 0x0d])]);

/** A plain MLLP client: writes what it is told, and reads back every acknowledgement frame. */
export class MllpClient {
  readonly socket: net.Socket;
  readonly acks: Buffer[] = [];
  #buffer = Buffer.alloc(0);
  readonly closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (;;) {
        const end = this.#buffer.indexOf(Buffer.from([0x1c, 0x0d]));
        if (end < 0) break;
        const start = this.#buffer.indexOf(0x0b);
        this.acks.push(this.#buffer.subarray(start + 1, end));
        this.#buffer = this.#buffer.subarray(end + 2);
      }
    });
  }

  static connect(port: number): Promise<MllpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new MllpClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer) {
    this.socket.write(bytes);
  }

  /** Sends one message framed, encoded as its MSH-18 says (Latin-1 when it says nothing), and waits for its acknowledgement. */
  async send(text: string, charset: 'utf8' | 'latin1' = encodingOf(text)): Promise<Ack> {
    const before = this.acks.length;
    this.write(frame(Buffer.from(text, charset)));
    return this.ack(before, charset);
  }

  async ack(index: number, charset: 'utf8' | 'latin1' = 'utf8', timeoutMs = 10_000): Promise<Ack> {
    const start = Date.now();
    while (this.acks.length <= index) {
      if (Date.now() - start > timeoutMs) throw new Error(`no acknowledgement #${index + 1}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return readAck(this.acks[index]!.toString(charset));
  }

  close() {
    this.socket.end();
  }
}

export interface Ack {
  text: string;
  msh: string[];
  code: string;
  /** MSA-2: the message control id acknowledged. */
  acknowledges: string;
  err: string[] | null;
}

export function readAck(text: string): Ack {
  const segments = text.split('\r').map((s) => s.split('|'));
  const msh = segments.find((s) => s[0] === 'MSH') ?? [];
  const msa = segments.find((s) => s[0] === 'MSA') ?? [];
  const err = segments.find((s) => s[0] === 'ERR') ?? null;
  return { text, msh, code: msa[1] ?? '', acknowledges: msa[2] ?? '', err };
}

/** A time as the unit's wall clock writes it in HL7 (YYYYMMDDHHMM), and the day it falls on. */
export function wallClock(at: Date, timeZone = 'Europe/Paris'): { ts: string; day: string; iso: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const iso = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
  return { ts: `${get('year')}${get('month')}${get('day')}${get('hour')}${get('minute')}`, day: `${get('year')}-${get('month')}-${get('day')}`, iso };
}
