import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The whole-archive tests parse 667 files; give them room on a 2-core CI box.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
