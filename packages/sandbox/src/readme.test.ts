// The README's test-suite example is the code of examples/, which the package's typecheck compiles against
// the sandbox's and the client's sources: the README cannot drift from code that compiles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const blocks = [...read('../README.md').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);

describe('README', () => {
  it.each(['vitest-global-setup.ts', 'sandbox.test.ts'])('quotes examples/%s verbatim', (file) => {
    expect(blocks).toContain(read(`../examples/${file}`));
  });

  it('lists every flag of the bin', () => {
    const flags = [...read('./cli.ts').matchAll(/^ {8}'?([a-z-]+)'?: \{ type:/gm)].map((match) => `--${match[1]}`).filter((flag) => flag !== '--help');
    expect(flags.length).toBeGreaterThan(10);
    // A flag with a value is written `--flag <V>`, one without it `--flag`.
    for (const flag of flags) expect(read('../README.md')).toMatch(new RegExp(`\`${flag}[ \`]`));
  });
});
