// Stage 1, bytes to text: finds the file's encoding and turns its bytes into UTF-8, the one encoding the
// later stages read. UTF-8 with or without a byte order mark (BOM), UTF-16 LE/BE with a BOM (Excel's
// "Unicode text") and Windows-1252 (Excel's "CSV" on a Western European Windows) are told apart without a
// flag: a BOM says so; without one, a file that is valid UTF-8 throughout is UTF-8, and any other is
// Windows-1252, which the run says. `--encoding` overrides.
//
// Nothing is ever replaced by U+FFFD here: a byte that is not valid in the chosen encoding becomes a
// marker character (a code point of plane 16's private use area, U+10FE00 + the byte) that the column stage
// finds in the value it lands in, failing that row alone and naming the byte (see `undecodable`).
import { isUtf8 } from 'node:buffer';
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { UsageError } from '../errors.js';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export const ENCODING_NAMES: Record<Encoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
};

const ALIASES: Record<string, Encoding> = {
  utf8: 'utf-8',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
  // As browsers do (WHATWG): a file that says Latin-1 is read as Windows-1252, its superset in practice.
  windows1252: 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'windows-1252',
  iso88591: 'windows-1252',
  ansi: 'windows-1252',
};

/** The encoding a `--encoding` value names; a UsageError names the ones there are. */
export function parseEncoding(value: string): Encoding {
  const encoding = ALIASES[value.toLowerCase().replace(/[^a-z0-9]/g, '')];
  if (!encoding) throw new UsageError(`--encoding must be utf-8, utf-16le, utf-16be or windows-1252 (also: cp1252, latin1), not "${value}".`);
  return encoding;
}

export interface Text {
  encoding: Encoding;
  /** Whether the file starts with a byte order mark (left out of `bytes`). */
  bom: boolean;
  /** Set when the encoding was guessed rather than said (by a BOM or `--encoding`): a line for the run to print. */
  notice?: string;
  /** The file as UTF-8, BOM left out, in chunks. */
  bytes: AsyncIterable<Buffer>;
}

const BOMS: [Encoding, number[]][] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** Opens `file` as UTF-8 text, from `chosen` or from what its bytes say; an unreadable file is a UsageError. */
export async function openText(file: string, chosen?: Encoding): Promise<Text> {
  const head = await readHead(file, 4);
  const found = BOMS.find(([, bom]) => bom.every((byte, index) => head[index] === byte));
  let encoding: Encoding;
  let notice: string | undefined;
  if (chosen) encoding = chosen;
  else if (found) {
    encoding = found[0];
    if (encoding !== 'utf-8') notice = `encoding: ${ENCODING_NAMES[encoding]} (the file starts with its byte order mark).`;
  } else {
    const sniffed = await sniff(file);
    encoding = sniffed.encoding;
    if (encoding === 'windows-1252') {
      notice = `encoding: Windows-1252 (the file is not UTF-8: Excel's "CSV" on Windows); --encoding to choose.`;
    } else if (sniffed.invalid > 0) {
      const bytes = sniffed.invalid > 1 ? `${sniffed.invalid} bytes are` : '1 byte is';
      notice = `encoding: UTF-8, but ${bytes} not: their rows fail (--encoding windows-1252 if the file is in it).`;
    }
  }
  const bom = found?.[0] === encoding;
  const skip = bom ? (found?.[1].length ?? 0) : 0;
  const stream = await openFile(file, skip);
  return { encoding, bom, notice, bytes: toUtf8(stream, encoding) };
}

/** Opens `file` for reading from byte `start`; a path that is not a readable file is a UsageError naming it. */
export async function openFile(file: string, start = 0): Promise<ReadStream> {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  if (stats.isDirectory()) throw new UsageError(`Cannot read ${file}: it is a directory, not a file.`);
  if (!stats.isFile()) throw new UsageError(`Cannot read ${file}: it is not a regular file (a pipe or a device is read twice: save it to a file first).`);
  const stream = createReadStream(file, { start, highWaterMark: 256 * 1024 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new UsageError(`Cannot read ${file}: ${error.code === 'EACCES' ? 'permission denied' : error.message}.`)));
  });
  return stream;
}

async function readHead(file: string, length: number): Promise<Buffer> {
  const stream = await openFile(file);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= length) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, length);
}

/**
 * What the bytes of a file without a BOM say: valid UTF-8 throughout; else UTF-8 with a few stray bytes (its
 * valid multi-byte sequences outnumber the bytes that are not: a name typed in another encoding, which fails
 * its row); else Windows-1252. One pass; `isUtf8` (native) settles the common case chunk by chunk.
 */
async function sniff(file: string): Promise<{ encoding: Encoding; invalid: number }> {
  const stream = await openFile(file);
  let carry: Buffer | undefined;
  let valid = 0;
  let invalid = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const cut = completeLength(bytes);
      carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
      if (isUtf8(bytes.subarray(0, cut))) {
        // Its sequences count too: a UTF-8 file whose bad bytes all sit in one chunk is still UTF-8.
        valid += leadBytes(bytes, cut);
        continue;
      }
      for (let at = 0; at < cut; ) {
        if ((bytes[at] as number) < 0x80) {
          at++;
          continue;
        }
        const length = validSequence(bytes, at);
        if (length > 0) {
          valid++;
          at += length;
        } else {
          invalid++;
          at++;
        }
      }
    }
    if (carry) invalid += carry.length;
  } finally {
    stream.destroy();
  }
  return { encoding: invalid === 0 || valid > invalid ? 'utf-8' : 'windows-1252', invalid };
}

/** How many multi-byte sequences the first `end` bytes of valid UTF-8 hold: one lead byte each. */
function leadBytes(bytes: Buffer, end: number): number {
  let count = 0;
  for (let at = 0; at < end; at++) if ((bytes[at] as number) >= 0xc0) count++;
  return count;
}

/** The length of `bytes` without a UTF-8 sequence cut at its end (kept for the next chunk). */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back] as number;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** How many bytes a UTF-8 sequence starting with `lead` has; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The length of the valid UTF-8 sequence at `at` (RFC 3629: no overlong form, no surrogate); 0 when there is none. */
function validSequence(bytes: Buffer, at: number): number {
  const lead = bytes[at] as number;
  const length = sequenceLength(lead);
  if (length <= 1 || at + length > bytes.length) return length === 1 ? 1 : 0;
  const second = bytes[at + 1] as number;
  const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  if (second < low || second > high) return 0;
  for (let index = 2; index < length; index++) if (((bytes[at + index] as number) & 0xc0) !== 0x80) return 0;
  return length;
}

/** The first code point of the markers: U+10FE00 + an undecodable byte. Its high surrogate is U+DBFF. */
const MARKER_BASE = 0x10fe00;
const marker = (byte: number) => String.fromCodePoint(MARKER_BASE + byte);

/** UTF-8 text of `bytes` with each byte that is not part of a valid sequence as a marker. */
function markInvalidUtf8(bytes: Buffer): Buffer {
  let text = '';
  let from = 0;
  for (let at = 0; at < bytes.length; ) {
    const length = validSequence(bytes, at);
    if (length > 0) at += length;
    else {
      text += bytes.toString('utf8', from, at) + marker(bytes[at] as number);
      from = ++at;
    }
  }
  return Buffer.from(text + bytes.toString('utf8', from));
}

async function* toUtf8(stream: ReadStream, encoding: Encoding): AsyncGenerator<Buffer> {
  try {
    if (encoding === 'utf-8') {
      // Valid UTF-8 goes through untouched (the common case, as fast as reading); a chunk with a bad byte is marked.
      let carry: Buffer | undefined;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
        const cut = completeLength(bytes);
        const complete = bytes.subarray(0, cut);
        carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
        yield isUtf8(complete) ? complete : markInvalidUtf8(complete);
      }
      if (carry) yield markInvalidUtf8(carry);
      return;
    }
    // Windows-1252 maps every byte. UTF-16: an unpaired surrogate (or an odd last byte) becomes U+FFFD, which the
    // column stage fails as it fails a U+FFFD written in the file itself.
    const decoder = new TextDecoder(encoding);
    for await (const chunk of stream as AsyncIterable<Buffer>) yield Buffer.from(decoder.decode(chunk, { stream: true }));
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest);
  } finally {
    stream.destroy();
  }
}

/**
 * One byte as Windows-1252 reads it. Decoded as a stream: Node 20's one-shot `decode` of a short input
 * returns "" for 0x80-0x9F (the euro sign, curly quotes, "œ"...), where Node 24's and the stream's are right.
 */
const windows1252 = (byte: number) => new TextDecoder('windows-1252').decode(Uint8Array.of(byte), { stream: true });

/** Whether `value` holds a byte that could not be decoded, or a U+FFFD (a character some program already lost). */
export const undecodable = (value: string) => /[\uFFFD\uDBFF]/.test(value);

/**
 * Why a value cannot be sent, and the value as the failure report writes it: an undecodable byte as its
 * Windows-1252 reading (a stray byte in a UTF-8 file usually is one), a U+FFFD as "?". The report is UTF-8.
 */
export function describeUndecodable(value: string, encoding: Encoding): { reason: string; printable: string } {
  const bytes: number[] = [];
  let lost = false;
  const printable = value.replace(/\uFFFD|[\uDBFF][\uDC00-\uDFFF]/g, (character) => {
    const code = character.codePointAt(0) as number;
    if (code === 0xfffd || code < MARKER_BASE || code > MARKER_BASE + 0xff) {
      lost = true;
      return '?';
    }
    bytes.push(code - MARKER_BASE);
    return windows1252(code - MARKER_BASE);
  });
  const hex = bytes.map((byte) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(', ');
  const reason = bytes.length
    ? `${bytes.length > 1 ? 'bytes' : 'byte'} ${hex} ${bytes.length > 1 ? 'are' : 'is'} not ${ENCODING_NAMES[encoding]} (this report shows "${printable}", ` +
      `read as Windows-1252): fix the value, or pass --encoding windows-1252 if the whole file is in it`
    : '';
  const lostReason = lost ? `holds a character already lost (U+FFFD, or invalid ${ENCODING_NAMES[encoding]}), shown as "?" here: type the value again` : '';
  return { reason: [reason, lostReason].filter(Boolean).join('; '), printable };
}
