// ESLint flat config: Next.js's core-web-vitals and TypeScript presets (which bring the React,
// React Hooks, jsx-a11y and import rules). Formatting is Prettier's job, not ESLint's.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Node-only code: Vitest fixtures named use…() and Playwright's use() callback are not React
    // hooks, so the React Hooks rules would only report false positives there.
    files: [
      '**/*.test.ts',
      '**/testing.ts',
      '**/test-support.ts',
      'test/**',
      'e2e/**',
      'scripts/**',
      'bench/**',
      'emulator/**',
      'prisma/**',
    ],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'react-hooks/immutability': 'off' },
  },
  globalIgnores([
    'node_modules/**',
    '.next/**',
    '.next-*/**',
    'lib/generated/**',
    'test-results/**',
    'playwright-report/**',
    'bench/results/**',
    '.pgdata/**',
    '.emulator-data/**',
    'next-env.d.ts',
    'emulator/sdk-contract/vendor/**',
  ]),
]);
