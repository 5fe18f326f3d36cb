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
  experimental: {
    serverActions: {
      // The CSV limit is 1 MB (lib/invitations/csv-limits.ts) and the bulk upload action answers
      // a larger file with that sentence. Next.js's own limit must sit above it, or Next.js would
      // refuse a file just over 1 MB first and the person would get a 500 instead.
      bodySizeLimit: '2mb',
    },
    // With middleware, Next.js copies every request body into memory (twice) before the route
    // runs, up to this size, and silently truncates beyond it. The default, 10 MB, let four
    // parallel uploads hold ~80 MB however early the route refuses them. Every reader in the
    // app stops far below this (JSON and webhooks 256 KB, forms 16 KB, server actions 2 MB), so
    // a truncated body is always one they refuse anyway (e2e/body-limits.spec.ts).
    proxyClientMaxBodySize: '3mb',
  },
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
