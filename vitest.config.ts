import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The e2e suite spawns real servers; keep workers modest on small CI machines.
    maxWorkers: 2,
    // The process-level tests (real servers, kill -9, SIGTERM mid-request) wait on real time; on a
    // loaded CI machine one may miss a deadline. One retry there; a test that fails twice fails.
    retry: process.env.CI ? 1 : 0,
    // graphql ships a separate development build; inlining graphql-inspector makes it import the same graphql instance as our code.
    server: { deps: { inline: ['@graphql-inspector/core'] } },
  },
});
