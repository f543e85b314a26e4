// Delimited text as spreadsheets and scheduling systems export it: RFC 4180 quoting, `;` (what a
// French Excel writes) or `,`, and either UTF-8 or Windows-1252 (Excel's "CSV" on a French Windows).

export type Charset = 'utf-8' | 'windows-1252';
export type Delimiter = ';' | ',';

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Bytes to text. UTF-8 is tried strictly first: a Windows-1252 accent (a lone byte ≥ 0x80) is never
 * valid UTF-8, while a UTF-8 file read as Windows-1252 would silently turn "é" into "Ã©".
 */
export function decodeCsv(bytes: Uint8Array): { text: string; charset: Charset } {
  const bom = BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), charset: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), charset: 'windows-1252' };
  }
}

/** The delimiter of the header line: whichever of `;` and `,` it holds more of outside quotes. */
export function detectDelimiter(text: string): Delimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons >= commas && semicolons > 0 ? ';' : commas > 0 ? ',' : ';';
}

export interface CsvLine {
  /** The line number in the file (1 is the header), as a coordinator finds it in the spreadsheet. */
  line: number;
  cells: string[];
}

/** Splits the text into records; a quoted cell may hold the delimiter, quotes ("") and line breaks. Blank lines are dropped. */
export function parseCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): { delimiter: Delimiter; lines: CsvLine[] } {
  const lines: CsvLine[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) lines.push({ line: startLine, cells });
    cells = [];
    cell = '';
    startLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
    } else cell += ch;
  }
  endRecord();
  return { delimiter, lines };
}
