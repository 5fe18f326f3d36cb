import type { Directory } from './directory.js';
import type { FaultRegistry } from './faults.js';
import type { SigningKeys } from './keys.js';
import type { State } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';

/** One sign-in attempt on the hosted pages, from /oauth/authorize to the redirect back. */
export interface LoginFlow {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string | null;
  nonce: string | null;
  scope: string;
  codeChallenge: string | null;
  prompt: string | null;
  loginHint: string | null;
  organizationId: string | null;
  connectionId: string | null;
  mode: 'signin' | 'signup';
  email: string | null;
  otp: { codeHash: string; expiresAt: number; attemptsLeft: number } | null;
  /** Set once the person has proven who they are. */
  userId: string | null;
  amr: string[];
  /** Set by an emulated IdP once the person signed in there; redeemed once at /login/idp-callback. */
  idpAssertion?: { secret: string; userId: string; amr: string[] } | null;
  expiresAt: number;
}

/** The emulator's own cookie session: a second authorize skips the login, like Scalekit's. */
export interface BrowserSession {
  userId: string;
  sessionId: string;
  amr: string[];
}

export interface Context {
  state: State;
  dir: Directory;
  keys: SigningKeys;
  faults: FaultRegistry;
  webhooks: WebhookDispatcher;
  /** The emulator's URL without a trailing slash: the token issuer. */
  issuer(): string;
  /** The emulated identity providers' origin (a second port). */
  idpUrl(): string;
  flows: Map<string, LoginFlow>;
  browserSessions: Map<string, BrowserSession>;
  /** Verified management tokens → expiry (ms), so each RPC does not re-verify RS256. */
  m2mTokens: Map<string, number>;
  reset(): void;
}
