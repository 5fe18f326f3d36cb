import { ScalekitClient } from '@scalekit-sdk/node';
import { getEnv } from '@/lib/env';

/**
 * The one Scalekit SDK client of this process. The SDK caches its
 * client-credentials token and JWKS per instance, so sharing it matters.
 * It talks to real Scalekit or to the local emulator: only the three
 * SCALEKIT_* variables differ.
 */
const globalForScalekit = globalThis as unknown as { teamgateScalekit?: ScalekitClient };

export function getScalekit(): ScalekitClient {
  if (!globalForScalekit.teamgateScalekit) {
    const env = getEnv();
    globalForScalekit.teamgateScalekit = new ScalekitClient(
      env.SCALEKIT_ENVIRONMENT_URL,
      env.SCALEKIT_CLIENT_ID,
      env.SCALEKIT_CLIENT_SECRET,
      { timeoutMs: env.SCALEKIT_TIMEOUT_MS },
    );
  }
  return globalForScalekit.teamgateScalekit;
}
