import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, fitLine } from './progress.js';

const payload = { created: 10_800, failed: 12, rate: 12_345, timeLeft: '3m 05s', wait: 'no answer: retry in 5.0 s', past: 'created' };

describe('the progress bar', () => {
  it('fits any width: the rate goes first, then the ETA, the counts and the bar', () => {
    const full = fitLine(200, 10_800, 20_000, payload);
    expect(full).toBe('█████████░░░░░░░ 10800/20000 rows | 12345 rows/s | ETA 3m 05s | 10800 created, 12 failed | no answer: retry in 5.0 s');
    expect(full.length).toBe(116);
    expect(fitLine(100, 10_800, 20_000, payload)).toBe('█████████░░░░░░░ 10800/20000 rows | 10800 created, 12 failed | no answer: retry in 5.0 s');
    expect(fitLine(80, 10_800, 20_000, payload)).toBe('█████████░░░░░░░ 10800/20000 rows | no answer: retry in 5.0 s');
    expect(fitLine(60, 10_800, 20_000, payload)).toBe('10800/20000 rows | no answer: retry in 5.0 s');
    expect(fitLine(30, 10_800, 20_000, payload)).toBe('10800/20000 rows | no answer: ');
    for (let columns = 1; columns <= 130; columns++) expect(fitLine(columns, 10_800, 20_000, payload).length).toBeLessThanOrEqual(columns);
  });

  it('draws every frame within the terminal, and starts a resumed run where the earlier one stopped', async () => {
    const frames: string[] = [];
    const stream = Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          frames.push(String(chunk));
          done();
        },
      }),
      { isTTY: true, columns: 70 },
    ) as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 'import');
    progress.start(20_000, { done: 10_800, created: 10_800, failed: 0 });
    progress.waiting(5000, 'no answer', 'no answer: retry in');
    progress.update({ done: 10_900, created: 10_900, failed: 0 });
    progress.stop();
    // Each frame is drawn after a cursor move: split there.
    const shown = frames.join('').replace(/\x1b(\[[0-9;?]*[a-zA-Z]|[78])/g, '\n').split(/[\r\n]/).filter(Boolean);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown[0]).toMatch(/^█{9}░{7} 10800\/20000 rows/);
    for (const frame of shown) expect(frame.length).toBeLessThanOrEqual(70);
  });

  it('prints nothing when no row was read (a usage error comes alone)', () => {
    let written = '';
    const stream = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((written += String(chunk)), done()) }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 'check');
    progress.update({ done: 0, created: 0, failed: 0 });
    progress.stop();
    expect(written).toBe('');
  });

  it('piped, prints no line when the first row is read: the first comes a second in, and one at the end', async () => {
    let written = '';
    const stream = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((written += String(chunk)), done()) }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 'import');
    progress.start(3, { done: 0, created: 0, failed: 0 });
    progress.update({ done: 1, created: 1, failed: 0 });
    expect(written).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 1050));
    progress.update({ done: 2, created: 2, failed: 0 });
    expect(written).toMatch(/^import: 2\/3 rows \(66%\), created 2, failed 0, \d+ rows\/s\n$/);
    progress.update({ done: 3, created: 2, failed: 1 });
    progress.stop();
    expect(written.split('\n').filter(Boolean)).toHaveLength(2);
    expect(written).toMatch(/\nimport: 3\/3 rows \(100%\), created 2, failed 1, \d+ rows\/s\n$/);
  });

  it('piped, the closing line is not printed twice when nothing moved since the last', async () => {
    let written = '';
    const stream = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((written += String(chunk)), done()) }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 'import');
    progress.start(3, { done: 0, created: 0, failed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1050));
    progress.update({ done: 3, created: 3, failed: 0 });
    progress.update({ done: 3, created: 3, failed: 0 });
    progress.stop();
    expect(written).toMatch(/^import: 3\/3 rows \(100%\), created 3, failed 0, \d+ rows\/s\n$/);
  });
});

