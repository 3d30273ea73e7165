import { defineProject } from 'vitest/config';

// The sandbox's tests: real servers on 127.0.0.1 (the sandbox, and Prism's proxy in front of it), the real
// clients, every exchange checked by the contract recorder.
export default defineProject({
  test: {
    name: 'sandbox',
    include: ['src/**/*.test.ts'],
  },
});
