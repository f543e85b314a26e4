// MSH-18 names the character set with HL7's own codes (table 0211). The unit's systems send French
// names: UTF-8, or ISO 8859-1 from older engines. An empty MSH-18 means the configured default. Node
// reads and writes both itself (Buffer's latin1 is ISO 8859-1 byte for byte), and its ICU reads 8859-15.
export type Charset = 'utf-8' | 'iso-8859-1' | 'iso-8859-15' | 'ascii';

const CHARSETS: Readonly<Record<string, Charset>> = {
  'UNICODE UTF-8': 'utf-8',
  'UTF-8': 'utf-8',
  '8859/1': 'iso-8859-1',
  '8859/15': 'iso-8859-15',
  ASCII: 'ascii',
};

export const isCharset = (name: string): name is Charset => (Object.values(CHARSETS) as string[]).includes(name);

/** The set an MSH-18 value names (its first repetition), or null when it names none this server reads. */
export function charsetOf(msh18: string, fallback: 'ISO-8859-1' | 'UTF-8'): Charset | null {
  const code = msh18.split('~')[0]!.trim().toUpperCase();
  if (code === '') return fallback === 'UTF-8' ? 'utf-8' : 'iso-8859-1';
  return CHARSETS[code] ?? null;
}

export function decode(bytes: Buffer, charset: Charset): string {
  if (charset === 'utf-8') return bytes.toString('utf8');
  if (charset === 'iso-8859-15') return new TextDecoder('iso-8859-15').decode(bytes);
  return bytes.toString('latin1');
}

// Typographic marks of the French reasons that Latin-1 lacks, written as their plain forms.
const PLAIN: Readonly<Record<string, string>> = { '’': "'", '‘': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...', '\u202f': ' ' };

export function encode(text: string, charset: Charset): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  const narrow = charset === 'ascii' ? 0x7f : 0xff;
  const safe = [...text].map((c) => (c.codePointAt(0)! <= narrow ? c : (PLAIN[c] ?? '?'))).join('');
  return Buffer.from(safe, 'latin1');
}

/**
 * MSH-18 read before the message is decoded: the header is ASCII in every set this server reads, so
 * it is read from the bytes as Latin-1 whatever follows. '' when there is no MSH or no MSH-18.
 */
export function rawMsh18(bytes: Buffer): string {
  const head = bytes.subarray(0, Math.min(bytes.length, 4096)).toString('latin1');
  if (!head.startsWith('MSH') || head.length < 8) return '';
  const line = head.split(/[\r\n]/)[0]!;
  // fields[0] is "MSH", fields[1] the encoding characters (MSH-2): MSH-n is fields[n - 1].
  return line.split(head.charAt(3))[17] ?? '';
}
