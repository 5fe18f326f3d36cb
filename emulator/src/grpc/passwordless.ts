import { timingSafeEqual } from 'node:crypto';
import type { ConnectRouter } from '@connectrpc/connect';
import { PasswordlessService, PasswordlessType, TemplateType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/auth/passwordless_pb.js';
import { isValidEmail, normalizeEmail, type Directory } from '../directory.js';
import { EmulatorError, invalid, notFound } from '../errors.js';
import { newSecret, sixDigitCode } from '../ids.js';
import { sendPasswordlessEmail } from '../mailer.js';
import type { PasswordlessRequestRecord, State } from '../state.js';
import { guarded } from './services.js';

// PasswordlessService, headless magic link & OTP (openapi/scalekit.yaml /api/v1/passwordless/email/*,
// src/content/docs/passwordless/quickstart.mdx, authenticate/auth-methods/passwordless.mdx).
// The emails land in the emulator's mailbox (/_emulator/emails).

/** SendPasswordlessRequest.expires_in: "If not specified, defaults to 300 seconds". */
const DEFAULT_EXPIRES_IN = 300;
/** quickstart.mdx: "a rate limit of 2 magic link and OTP emails per minute per email address … includes … resends". */
const SENDS_PER_MINUTE = 2;
/** template_variables: "up to 30 key-value pairs" and these reserved names. */
const MAX_TEMPLATE_VARIABLES = 30;
const RESERVED_VARIABLES = new Set(['otp', 'expiry_time_relative', 'link', 'expire_time', 'expiry_time']);

function rateLimit(state: State, email: string, now: number): void {
  const recent = (state.passwordlessSends.get(email) ?? []).filter((t) => now - t < 60_000);
  if (recent.length >= SENDS_PER_MINUTE) {
    throw new EmulatorError(
      'RESOURCE_EXHAUSTED',
      'RATE_LIMIT_EXCEEDED',
      `at most ${SENDS_PER_MINUTE} passwordless emails per minute to ${email}`,
    );
  }
  recent.push(now);
  state.passwordlessSends.set(email, recent);
}

/** New credentials for the configured method (dashboard: OTP, LINK or LINK_OTP). */
function issue(request: PasswordlessRequestRecord): void {
  request.code = request.passwordlessType === 'LINK' ? null : sixDigitCode();
  request.linkToken = request.passwordlessType === 'OTP' ? null : newSecret(24);
}

function mail(state: State, request: PasswordlessRequestRecord): void {
  let link: string | null = null;
  if (request.linkToken && request.magiclinkAuthUri) {
    const url = new URL(request.magiclinkAuthUri);
    url.searchParams.set('link_token', request.linkToken);
    link = url.toString();
  }
  sendPasswordlessEmail(state, {
    to: request.email,
    signup: request.template === 'SIGNUP',
    code: request.code,
    link,
    expiresAt: request.expiresAt,
    variables: request.templateVariables,
  });
}

function response(request: PasswordlessRequestRecord) {
  return {
    authRequestId: request.authRequestId,
    expiresAt: BigInt(Math.floor(request.expiresAt.getTime() / 1000)),
    expiresIn: request.expiresInSeconds,
    passwordlessType: PasswordlessType[request.passwordlessType],
  };
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function checkUsable(request: PasswordlessRequestRecord): void {
  if (request.verified) throw invalid('PASSWORDLESS_ALREADY_VERIFIED', 'this passwordless request was already verified');
  if (request.expiresAt.getTime() <= Date.now())
    throw invalid('PASSWORDLESS_EXPIRED', 'the code or magic link has expired; send a new one');
  if (request.attemptsLeft <= 0) throw invalid('TOO_MANY_ATTEMPTS', 'too many wrong codes; send a new one');
}

export function registerPasswordlessService(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  router.service(
    PasswordlessService,
    guarded({
      async sendPasswordlessEmail(req) {
        const email = normalizeEmail(req.email);
        if (!email) throw invalid('INVALID_EMAIL', 'email is required');
        if (!isValidEmail(email)) throw invalid('INVALID_EMAIL', `"${req.email}" is not a valid email address`);
        const template =
          req.template === TemplateType.SIGNUP ? 'SIGNUP' : req.template === TemplateType.SIGNIN || !req.template ? 'SIGNIN' : null;
        if (!template) throw invalid('INVALID_TEMPLATE', `template ${req.template} is not SIGNIN or SIGNUP`);
        const expiresIn = req.expiresIn || DEFAULT_EXPIRES_IN;
        if (expiresIn < 0 || !Number.isInteger(expiresIn))
          throw invalid('INVALID_EXPIRES_IN', 'expires_in must be a positive number of seconds');
        const variables = Object.entries(req.templateVariables);
        if (variables.length > MAX_TEMPLATE_VARIABLES) {
          throw invalid('INVALID_TEMPLATE_VARIABLES', `at most ${MAX_TEMPLATE_VARIABLES} template_variables are allowed`);
        }
        const reserved = variables.map(([k]) => k).filter((k) => RESERVED_VARIABLES.has(k));
        if (reserved.length)
          throw invalid('INVALID_TEMPLATE_VARIABLES', `template_variables may not use the reserved name(s) ${reserved.join(', ')}`);
        const passwordlessType = state.environment.passwordlessType;
        const magiclinkAuthUri = req.magiclinkAuthUri?.trim() || null;
        if (passwordlessType !== 'OTP') {
          // quickstart.mdx: magiclink_auth_uri is "Required if you selected Link or Link + OTP".
          if (!magiclinkAuthUri) throw invalid('INVALID_MAGICLINK_AUTH_URI', 'magiclink_auth_uri is required for magic links');
          if (!/^https?:\/\//i.test(magiclinkAuthUri) || !URL.canParse(magiclinkAuthUri)) {
            throw invalid('INVALID_MAGICLINK_AUTH_URI', `magiclink_auth_uri "${magiclinkAuthUri}" is not an http(s) URL`);
          }
        }
        const now = Date.now();
        rateLimit(state, email, now);
        for (const [id, r] of state.passwordlessRequests) if (r.expiresAt.getTime() <= now) state.passwordlessRequests.delete(id);
        const request: PasswordlessRequestRecord = {
          authRequestId: newSecret(32),
          email,
          template,
          state: req.state ?? null,
          magiclinkAuthUri,
          templateVariables: { ...req.templateVariables },
          passwordlessType,
          expiresInSeconds: expiresIn,
          code: null,
          linkToken: null,
          expiresAt: new Date(now + expiresIn * 1000),
          attemptsLeft: state.environment.otpMaxAttempts,
          verified: false,
        };
        issue(request);
        state.passwordlessRequests.set(request.authRequestId, request);
        mail(state, request);
        return response(request);
      },
      async resendPasswordlessEmail(req) {
        const request = state.passwordlessRequests.get(req.authRequestId);
        if (!req.authRequestId || !request) throw notFound('AUTH_REQUEST_NOT_FOUND', 'no passwordless request with this auth_request_id');
        if (request.verified) throw invalid('PASSWORDLESS_ALREADY_VERIFIED', 'this passwordless request was already verified');
        const now = Date.now();
        rateLimit(state, request.email, now);
        // Dashboard "Issue new credentials on resend": the previous code or link stops working.
        if (state.environment.passwordlessRegenerateOnResend) issue(request);
        request.expiresAt = new Date(now + request.expiresInSeconds * 1000);
        request.attemptsLeft = state.environment.otpMaxAttempts;
        mail(state, request);
        return response(request);
      },
      async verifyPasswordlessEmail(req) {
        const credential = req.authCredential;
        let request: PasswordlessRequestRecord | undefined;
        if (credential.case === 'code') {
          // The code is only unique within its request: auth_request_id is required with it.
          if (!req.authRequestId) throw invalid('INVALID_AUTH_REQUEST_ID', 'auth_request_id is required to verify a code');
          request = state.passwordlessRequests.get(req.authRequestId);
          if (!request) throw notFound('AUTH_REQUEST_NOT_FOUND', 'no passwordless request with this auth_request_id');
          checkUsable(request);
          if (!request.code || !sameSecret(request.code, credential.value)) {
            request.attemptsLeft--;
            throw invalid('INVALID_CODE', 'the verification code is not correct');
          }
        } else if (credential.case === 'linkToken') {
          request = [...state.passwordlessRequests.values()].find((r) => r.linkToken && sameSecret(r.linkToken, credential.value));
          if (!request) throw invalid('INVALID_LINK_TOKEN', 'the magic link is invalid or has expired');
          // "Enforce same browser origin": the link only works with the request the browser started.
          if (state.environment.passwordlessEnforceSameBrowserOrigin && req.authRequestId !== request.authRequestId) {
            throw invalid(
              'INVALID_AUTH_REQUEST_ID',
              'this magic link must be completed in the browser that asked for it (auth_request_id)',
            );
          }
          checkUsable(request);
        } else {
          throw invalid('INVALID_CREDENTIAL', 'a code or link_token is required');
        }
        request.verified = true;
        return {
          email: request.email,
          state: request.state ?? undefined,
          template: TemplateType[request.template],
          passwordlessType: PasswordlessType[request.passwordlessType],
        };
      },
    }),
  );
}
