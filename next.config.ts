import type { NextConfig } from 'next';
// A relative import: Next.js compiles this file on its own at start, outside the app's bundler.
import { STATIC_SECURITY_HEADERS } from './lib/http/security-headers';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // e2e runs on other ports build into their own directory (e2e/support/test-env.ts).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // Loaded by Node at run time instead of bundled: the Scalekit SDK opens gRPC over node:http2
  // and requires ESM-only jose from CommonJS; pino spawns worker threads for its transports;
  // pg and the Prisma adapter load optional native/peer modules a bundler cannot trace.
  serverExternalPackages: ['@scalekit-sdk/node', 'pino', '@prisma/adapter-pg', 'pg'],
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
