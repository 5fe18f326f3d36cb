import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// One config for every Vitest suite: unit tests beside the code (lib/, app/),
// integration tests against real PostgreSQL (*.int.test.ts) and the emulator's
// own suite. Playwright specs under e2e/ are run by Playwright, not here.
export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('./', import.meta.url)) },
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: [
      'node_modules/**',
      '.next/**',
      '.next-*/**',
      'e2e/**',
      'lib/generated/**',
      'test-results/**',
      'emulator/sdk-contract/vendor/**',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
