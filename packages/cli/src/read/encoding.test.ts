// Stage 1 alone, bytes to text: how a file's bytes are judged (BOM, valid UTF-8, Windows-1252), which
// sequences count as UTF-8 (RFC 3629), what crosses a chunk boundary, and how an undecodable byte is named.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { scratch } from '../testing/scratch.js';
import { describeUndecodable, openFile, openText, parseEncoding, type Encoding } from './encoding.js';

const { dir, file: named } = scratch('cli-encoding-');
let files = 0;
const file = (content: Buffer | string) => named(`f${files++}.csv`, content);
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

/** The file as the later stages get it: its encoding, its notice, and its text. */
async function open(path: string, chosen?: Encoding) {
  const text = await openText(path, chosen);
  const chunks: Buffer[] = [];
  for await (const chunk of text.bytes) chunks.push(chunk);
  const utf8 = Buffer.concat(chunks);
  return { encoding: text.encoding, bom: text.bom, notice: text.notice, utf8, text: utf8.toString() };
}
/** The marker a byte that is not valid becomes (U+10FE00 + the byte). */
const marker = (byte: number) => String.fromCodePoint(0x10fe00 + byte);
/** The reader's chunk size: 256 KiB. */
const CHUNK = 256 * 1024;

describe('the byte order mark', () => {
  it('is left out of the text for UTF-8, UTF-16 LE and UTF-16 BE, and the encoding it names is used', async () => {
    const utf8 = await open(file(bytes([0xef, 0xbb, 0xbf], 'name\nZoë\n')));
    expect(utf8).toMatchObject({ encoding: 'utf-8', bom: true, notice: undefined, text: 'name\nZoë\n' });
    expect([...utf8.utf8.subarray(0, 3)]).toEqual([...Buffer.from('nam')]);
    const le = await open(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\nZoë\n', 'utf16le')])));
    expect(le).toMatchObject({ encoding: 'utf-16le', bom: true, text: 'name\nZoë\n', notice: 'encoding: UTF-16 LE (the file starts with its byte order mark).' });
    const be = await open(file(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('name\nZoë\n', 'utf16le').swap16()])));
    expect(be).toMatchObject({ encoding: 'utf-16be', bom: true, text: 'name\nZoë\n', notice: 'encoding: UTF-16 BE (the file starts with its byte order mark).' });
  });

  it('is a whole mark, not its first byte: Windows-1252 "ÿA" and "ïle" are not UTF-16 or UTF-8', async () => {
    expect(await open(file(bytes([0xff], 'A,b\n')))).toMatchObject({ encoding: 'windows-1252', bom: false, text: 'ÿA,b\n' });
    expect(await open(file(bytes([0xef], 'le,b\n')))).toMatchObject({ encoding: 'windows-1252', bom: false, text: 'ïle,b\n' });
  });

  it('is kept as text when --encoding names another encoding than the mark', async () => {
    const forced = await open(file(bytes([0xef, 0xbb, 0xbf], 'a\n')), 'windows-1252');
    expect(forced).toMatchObject({ encoding: 'windows-1252', bom: false, text: 'ï»¿a\n' });
  });
});

describe('a file without a mark', () => {
  it('is UTF-8 when valid throughout, with no notice', async () => {
    expect(await open(file('name\nHélène €\n'))).toMatchObject({ encoding: 'utf-8', notice: undefined, text: 'name\nHélène €\n' });
  });

  it('is Windows-1252 when its bytes are not UTF-8, and says so', async () => {
    const cp1252 = await open(file(bytes('name\nCaf', [0xe9], ' 5', [0x80], '\n')));
    expect(cp1252).toMatchObject({ encoding: 'windows-1252', text: 'name\nCafé 5€\n' });
    expect(cp1252.notice).toBe(`encoding: Windows-1252 (the file is not UTF-8: Excel's "CSV" on Windows); --encoding to choose.`);
    // 0x80 (the euro sign) alone, and a last byte that starts a sequence the file never finishes.
    expect((await open(file(bytes('5', [0x80], '\n')))).encoding).toBe('windows-1252');
    expect((await open(file(bytes('name\ncaf', [0xe9])))).text).toBe('name\ncafé');
  });

  it('is Windows-1252 when its bad bytes are as many as its good sequences, UTF-8 when fewer, naming how many', async () => {
    expect((await open(file(bytes('é,', [0xe9], '\n')))).encoding).toBe('windows-1252');
    const one = await open(file(bytes('éé,', [0xe9], '\n')));
    expect(one).toMatchObject({ encoding: 'utf-8', text: `éé,${marker(0xe9)}\n` });
    expect(one.notice).toBe('encoding: UTF-8, but 1 byte is not: their rows fail (--encoding windows-1252 if the file is in it).');
    const two = await open(file(bytes('ééé,', [0xe9], ',', [0xe8], '\n')));
    expect(two.notice).toBe('encoding: UTF-8, but 2 bytes are not: their rows fail (--encoding windows-1252 if the file is in it).');
    // A stray byte before a cut sequence at the very end: one byte is bad, the "x" after it is not.
    expect((await open(file(bytes('éé,', [0xe2], 'x')))).notice).toMatch(/but 1 byte is not/);
  });

  it('counts the good sequences of every chunk, not only of those holding a bad byte', async () => {
    // An HR export in UTF-8, its first 256 KiB full of accented names, two stray bytes near its end:
    // read as Windows-1252, every "é" before them would be sent as "Ã©".
    const row = 'a@example.com,Hélène Dupré\n';
    const rows = row.repeat(Math.floor(CHUNK / Buffer.byteLength(row)));
    const head = rows + 'x'.repeat(CHUNK - Buffer.byteLength(rows) - 1) + '\n';
    const read = await open(file(bytes(head, 'b@example.com,D', [0xe9], 'sir', [0xe9], '\n')));
    expect(read.encoding).toBe('utf-8');
    expect(read.notice).toMatch(/UTF-8, but 2 bytes are not/);
    expect(read.text.startsWith(row)).toBe(true);
  });

  it('ending in a complete multi-byte character is UTF-8, and the character is kept', async () => {
    expect(await open(file('name\nZoë'))).toMatchObject({ encoding: 'utf-8', notice: undefined, text: 'name\nZoë' });
    expect(await open(file(bytes('éé', [0xe9], ',€')))).toMatchObject({ encoding: 'utf-8', text: `éé${marker(0xe9)},€` });
  });

  it('ending in a cut sequence marks its bytes, in a file judged UTF-8', async () => {
    expect((await open(file(bytes('éééé,', [0xe2, 0x82])))).text).toBe(`éééé,${marker(0xe2)}${marker(0x82)}`);
  });
});

describe('what counts as UTF-8 (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF)', () => {
  // In a file with one stray byte, so that every sequence is judged one by one.
  const valid: [string, number[]][] = [
    ['U+0080, the first of two bytes', [0xc2, 0x80]],
    ['U+07FF, the last of two bytes', [0xdf, 0xbf]],
    ['U+0800, the first of three (E0 A0)', [0xe0, 0xa0, 0x80]],
    ['U+0FFF (E0 BF)', [0xe0, 0xbf, 0xbf]],
    ['U+1000 (E1 80 80)', [0xe1, 0x80, 0x80]],
    ['U+CFFF (EC BF BF)', [0xec, 0xbf, 0xbf]],
    ['U+D000, before the surrogates (ED 80)', [0xed, 0x80, 0x80]],
    ['U+D7FF, the last before them (ED 9F)', [0xed, 0x9f, 0xbf]],
    ['U+E000 (EE 80 80)', [0xee, 0x80, 0x80]],
    ['U+F900 (EF A4 80)', [0xef, 0xa4, 0x80]],
    ['U+10000, the first of four (F0 90)', [0xf0, 0x90, 0x80, 0x80]],
    ['U+3FFFF (F0 BF)', [0xf0, 0xbf, 0xbf, 0xbf]],
    ['U+40000 (F1 80 80 80)', [0xf1, 0x80, 0x80, 0x80]],
    ['U+100000 (F4 80)', [0xf4, 0x80, 0x80, 0x80]],
    ['U+10FFFF, the last (F4 8F)', [0xf4, 0x8f, 0xbf, 0xbf]],
  ];
  const invalid: [string, number[], string][] = [
    ['a lone continuation byte', [0x80], marker(0x80)],
    ['an overlong two-byte form (C0)', [0xc0, 0x80], marker(0xc0) + marker(0x80)],
    ['an overlong two-byte form (C1)', [0xc1, 0xbf], marker(0xc1) + marker(0xbf)],
    ['an overlong three-byte form (E0 9F)', [0xe0, 0x9f, 0xbf], marker(0xe0) + marker(0x9f) + marker(0xbf)],
    ['a surrogate (ED A0)', [0xed, 0xa0, 0x80], marker(0xed) + marker(0xa0) + marker(0x80)],
    ['an overlong four-byte form (F0 8F)', [0xf0, 0x8f, 0xbf, 0xbf], marker(0xf0) + marker(0x8f) + marker(0xbf) + marker(0xbf)],
    ['past U+10FFFF (F4 90)', [0xf4, 0x90, 0x80, 0x80], marker(0xf4) + marker(0x90) + marker(0x80) + marker(0x80)],
    ['a lead byte that starts nothing (F5)', [0xf5, 0x80, 0x80, 0x80], marker(0xf5) + marker(0x80) + marker(0x80) + marker(0x80)],
    ['a two-byte lead before ASCII', [0xc3, 0x41], `${marker(0xc3)}A`],
    ['a three-byte sequence cut by ASCII', [0xe1, 0x80, 0x41], `${marker(0xe1)}${marker(0x80)}A`],
    ['a four-byte sequence cut by ASCII', [0xf1, 0x80, 0x80, 0x41], `${marker(0xf1)}${marker(0x80)}${marker(0x80)}A`],
  ];
  const padding = 'é'.repeat(20);

  it.each(valid)('%s is kept', async (_, sequence) => {
    const read = await open(file(bytes(padding, ',', sequence, ',', [0xe9], '\n')));
    expect(read.encoding).toBe('utf-8');
    expect(read.text).toBe(`${padding},${Buffer.from(sequence).toString()},${marker(0xe9)}\n`);
    expect(read.notice).toMatch(/but 1 byte is not/);
  });

  it.each(invalid)('%s is marked, byte by byte', async (_, sequence, marked) => {
    const read = await open(file(bytes(padding, ',', sequence, '\n')));
    expect(read.encoding).toBe('utf-8');
    expect(read.text).toBe(`${padding},${marked}\n`);
  });
});

describe('a character cut between two chunks of the stream', () => {
  // The reader takes 256 KiB at a time; each character below starts `before` bytes ahead of that boundary.
  const cases: [string, string, number][] = [
    ['é cut after its first byte', 'é', 1],
    ['€ cut after its first byte', '€', 1],
    ['€ cut after its second byte', '€', 2],
    ['😀 cut after its first byte', '😀', 1],
    ['😀 cut after its second byte', '😀', 2],
    ['😀 cut after its third byte', '😀', 3],
  ];
  it.each(cases)('%s is kept, in a valid file and in one with a stray byte after it', async (_, character, before) => {
    const filler = 'a'.repeat(CHUNK - before);
    const clean = await open(file(`${filler}${character}\nb\n`));
    expect(clean).toMatchObject({ encoding: 'utf-8', notice: undefined, text: `${filler}${character}\nb\n` });
    // The second chunk holds the stray byte: the first one's end is judged on its own, and must not count as bad.
    const stray = await open(file(bytes(filler, character, '\néé', [0xe9], '\n')));
    expect(stray.text).toBe(`${filler}${character}\néé${marker(0xe9)}\n`);
    expect(stray.notice).toMatch(/but 1 byte is not/);
  });
});

describe('UTF-16', () => {
  it('ends an odd last byte as U+FFFD, which the column stage fails', async () => {
    const read = await open(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab', 'utf16le'), Buffer.from([0x41])])));
    expect(read.text).toBe('ab\uFFFD');
  });
});

describe('a path that cannot be read', () => {
  it('is a UsageError naming it and why: missing, a folder, a pipe, a path through a file', async () => {
    const missing = join(dir, 'missing.csv');
    await expect(openFile(missing)).rejects.toThrow(new UsageError(`Cannot read ${missing}: no such file.`));
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    await expect(openText(folder)).rejects.toThrow(new UsageError(`Cannot read ${folder}: it is a directory, not a file.`));
    const pipe = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [pipe]);
    await expect(openText(pipe)).rejects.toThrow(
      new UsageError(`Cannot read ${pipe}: it is not a regular file (a pipe or a device is read twice: save it to a file first).`),
    );
    const through = join(file('a'), 'b.csv');
    await expect(openFile(through)).rejects.toThrow(`Cannot read ${through}: ENOTDIR: not a directory, stat '${through}'.`);
  });
});

describe('--encoding', () => {
  it('takes the names and aliases a user types, whatever their case and punctuation', () => {
    const names = { 'UTF-8': 'utf-8', utf8: 'utf-8', 'utf-16le': 'utf-16le', UTF16BE: 'utf-16be', cp1252: 'windows-1252', 'Windows-1252': 'windows-1252' };
    for (const [typed, encoding] of Object.entries(names)) expect(parseEncoding(typed)).toBe(encoding);
    for (const typed of ['latin1', 'ISO-8859-1', 'ANSI']) expect(parseEncoding(typed)).toBe('windows-1252');
    expect(() => parseEncoding('ebcdic')).toThrow(new UsageError('--encoding must be utf-8, utf-16le, utf-16be or windows-1252 (also: cp1252, latin1), not "ebcdic".'));
  });
});

describe('an undecodable value, as the report names it', () => {
  it('names each byte in hex, as Windows-1252 would read it', () => {
    expect(describeUndecodable(`Ren${marker(0xe9)}`, 'utf-8')).toEqual({
      reason: 'byte 0xE9 is not UTF-8 (this report shows "René", read as Windows-1252): fix the value, or pass --encoding windows-1252 if the whole file is in it',
      printable: 'René',
    });
    expect(describeUndecodable(`${marker(0x80)} ${marker(0x9c)}uvre`, 'utf-8')).toEqual({
      reason: 'bytes 0x80, 0x9C are not UTF-8 (this report shows "€ œuvre", read as Windows-1252): fix the value, or pass --encoding windows-1252 if the whole file is in it',
      printable: '€ œuvre',
    });
  });

  it('shows a character already lost as "?", and a plane-16 character that is not a marker too', () => {
    const lost = 'holds a character already lost (U+FFFD, or invalid UTF-16 LE), shown as "?" here: type the value again';
    expect(describeUndecodable('Ren\uFFFD', 'utf-16le')).toEqual({ reason: lost, printable: 'Ren?' });
    // U+10FDFF sits just below the markers, U+10FF00 just past them: neither is a byte.
    expect(describeUndecodable('a\u{10FDFF}b\u{10FF00}', 'utf-16le')).toEqual({ reason: lost, printable: 'a?b?' });
    expect(describeUndecodable(`${marker(0xff)}\uFFFD`, 'utf-8').reason).toBe(
      'byte 0xFF is not UTF-8 (this report shows "ÿ?", read as Windows-1252): fix the value, or pass --encoding windows-1252 if the whole file is in it; ' +
        'holds a character already lost (U+FFFD, or invalid UTF-8), shown as "?" here: type the value again',
    );
  });
});
