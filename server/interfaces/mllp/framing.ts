// MLLP: every message travels as 0x0B <message> 0x1C 0x0D. TCP cuts the stream anywhere, so a frame
// may arrive in pieces and several frames may share one chunk.
export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export type FrameEvent = { kind: 'frame'; bytes: Buffer } | { kind: 'oversize' };

/**
 * Cuts a byte stream into frames. Bytes outside a frame (a keep-alive newline, garbage) are dropped;
 * a frame growing past `maxBytes` is reported once, and the caller closes the connection, so a client
 * can never make the server hold more than that much of its input.
 */
export class MllpDecoder {
  #parts: Buffer[] = [];
  #size = 0;
  #inFrame = false;
  #pendingFs = false;

  constructor(private readonly maxBytes: number) {}

  /** Whether part of a frame is waiting for the rest. */
  get partial(): boolean {
    return this.#inFrame;
  }

  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.#inFrame) {
        const vt = chunk.indexOf(VT, i);
        if (vt < 0) break;
        this.#inFrame = true;
        i = vt + 1;
        continue;
      }
      if (this.#pendingFs) {
        this.#pendingFs = false;
        if (chunk[i] === CR) {
          out.push(this.#frame());
          i += 1;
          continue;
        }
        this.#append(Buffer.of(FS));
      }
      const fs = chunk.indexOf(FS, i);
      const vt = chunk.indexOf(VT, i);
      if (vt >= 0 && (fs < 0 || vt < fs)) {
        // A new start inside a frame: the sender gave up on the first one, which is dropped.
        this.#reset();
        this.#inFrame = true;
        i = vt + 1;
        continue;
      }
      if (fs < 0) {
        this.#append(chunk.subarray(i));
        i = chunk.length;
      } else {
        this.#append(chunk.subarray(i, fs));
        if (fs + 1 === chunk.length) {
          // The CR that ends the frame may be the next chunk's first byte.
          this.#pendingFs = true;
          i = chunk.length;
        } else if (chunk[fs + 1] === CR) {
          out.push(this.#frame());
          i = fs + 2;
        } else {
          this.#append(Buffer.of(FS));
          i = fs + 1;
        }
      }
      if (this.#size > this.maxBytes) {
        this.#reset();
        out.push({ kind: 'oversize' });
        return out;
      }
    }
    return out;
  }

  #append(bytes: Buffer) {
    if (bytes.length === 0) return;
    this.#parts.push(bytes);
    this.#size += bytes.length;
  }

  #frame(): FrameEvent {
    const bytes = Buffer.concat(this.#parts);
    this.#reset();
    return { kind: 'frame', bytes };
  }

  #reset() {
    this.#parts = [];
    this.#size = 0;
    this.#inFrame = false;
    this.#pendingFs = false;
  }
}
