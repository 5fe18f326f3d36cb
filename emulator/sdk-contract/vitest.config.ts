import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Runs the Scalekit Node SDK's own test suite (vendor/tests, byte-identical at v2.10.0) against the
// emulator with the *installed* SDK: the tests' relative imports of the SDK source (`../src/x`,
// `../../src/x`) resolve to its compiled lib/, Jest's globals to Vitest's. Mirrors the SDK's
// jest.config.js: node environment, tests/setup.ts after the environment, 30 s timeout, one worker.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const sdkLib = fileURLToPath(new URL('../../node_modules/@scalekit-sdk/node/lib/', import.meta.url));

export default defineConfig({
  root: here('./'),
  plugins: [
    {
      name: 'vendored-sdk-source-to-installed-lib',
      enforce: 'pre',
      resolveId(source, importer) {
        const sdkSource = /^(?:\.\.\/)+src\/(.*)$/.exec(source);
        if (!sdkSource || !importer?.includes('/sdk-contract/vendor/tests/')) return null;
        return this.resolve(`${sdkLib}${sdkSource[1]}`, importer, { skipSelf: true });
      },
    },
  ],
  resolve: {
    alias: [
      { find: /^@jest\/globals$/, replacement: here('./shims/jest-globals.ts') },
      { find: /^dotenv$/, replacement: here('./shims/dotenv.ts') },
    ],
  },
  test: {
    include: ['vendor/tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: [here('./global-setup.ts')],
    setupFiles: [here('./env-setup.ts'), here('./vendor/tests/setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default', here('./summary-reporter.ts')],
  },
});
