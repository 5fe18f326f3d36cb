import { NextResponse, type NextRequest } from 'next/server';
import { verifyCsrf } from '@/lib/auth/csrf';
import { getSessionContextFromRequest } from '@/lib/auth/guards';
import { csrfRefused, FORM_MAX_BYTES, jsonError, NO_STORE, readForm, redirectTo, wantsJson } from '@/lib/auth/http';
import { switchOrganization, switchOrgInput } from '@/lib/auth/switch-org';
import { bodyReadErrorResponse, readBodyText } from '@/lib/http/read-body';
import { appSessionCookieAttributes, appSessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';

/** Unparseable or non-object JSON reads as no fields; the schema below then says what is missing. */
function jsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * POST /api/auth/switch-org — form (organizationId, returnTo, csrf_token) from the header's org
 * switcher, or JSON ({ organizationId }) with the x-csrf-token header.
 */
export async function POST(request: NextRequest) {
  const json = wantsJson(request);
  const ctx = await getSessionContextFromRequest(request);
  if (!ctx) {
    return json ? jsonError('unauthenticated', 'Sign in to continue.') : redirectTo('/login?returnTo=%2Fdashboard');
  }

  let fields: Record<string, unknown>;
  let formToken: string | null = null;
  if (json) {
    const read = await readBodyText(request, FORM_MAX_BYTES);
    if (!read.ok) return bodyReadErrorResponse(read);
    fields = jsonObject(read.value);
  } else {
    const read = await readForm(request);
    if (!read.ok) return read.response;
    const { form } = read;
    fields = form ? Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) : {};
    formToken = typeof fields.csrf_token === 'string' ? fields.csrf_token : null;
  }
  if (!(await verifyCsrf(request, ctx.session.id, formToken))) return csrfRefused(request);

  const input = switchOrgInput.safeParse(fields);
  if (!input.success) return jsonError('invalid_request', 'organizationId must be an organization ID such as org_acme.');

  const result = await switchOrganization(ctx, input.data.organizationId, input.data.returnTo);
  if (!result.ok) return jsonError(result.code, result.message, result.status);
  if (result.via === 'scalekit') {
    // The target organization's policy applies at Scalekit; the session stays as it is until the
    // callback opens the new one.
    return json
      ? NextResponse.json(
          { ok: true, organizationId: input.data.organizationId, redirectTo: result.redirectTo },
          { headers: { 'Cache-Control': NO_STORE } },
        )
      : redirectTo(result.redirectTo);
  }

  const cookie = await signAppSessionCookie({
    sessionId: result.session.id,
    userId: result.session.userId,
    organizationId: result.session.organizationId,
    expiresAt: result.session.expiresAt,
  });
  const response = json
    ? NextResponse.json({ ok: true, organizationId: result.session.organizationId }, { headers: { 'Cache-Control': NO_STORE } })
    : redirectTo(result.redirectTo);
  response.cookies.set(appSessionCookieName(), cookie, appSessionCookieAttributes(result.session.expiresAt));
  return response;
}
