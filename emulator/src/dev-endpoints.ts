import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from './context.js';
import { handleDirectoryDevEndpoint } from './dev-directories.js';
import { scimDeprovision, scimProvision } from './directory.js';
import { settleDnsVerification } from './domains.js';
import { EmulatorError } from './errors.js';
import { html, page } from './html.js';
import { HttpError, readJson, sendHtml, sendJson } from './http-util.js';
import { environmentSchema } from './seed.js';
import { effectiveStatus, seatsUsed } from './state.js';

// /_emulator/*: what tests and developers use to look inside and steer the emulator.

const settingsInput = environmentSchema.partial().strict();

function emailsFor(ctx: Context, to: string | null) {
  const wanted = to?.trim().toLowerCase();
  return ctx.state.mailbox
    .filter((e) => !wanted || e.to.toLowerCase() === wanted)
    .slice()
    .reverse();
}

function mailboxPage(ctx: Context, to: string | null): string {
  const emails = emailsFor(ctx, to);
  const body = html`<h1>Mailbox</h1>
    <p class="muted">
      Every email the emulator has "sent", newest
      first${to ? html` — only <strong>${to}</strong> (<a href="/_emulator/mailbox">show all</a>)` : ''}. JSON:
      <code>/_emulator/emails?to=…</code>
    </p>
    ${emails.length === 0 ? html`<p>No emails yet.</p>` : ''}
    ${emails.map(
      (e) =>
        html`<article style="border-top:1px solid #eceef0;padding:12px 0">
          <h2 style="font-size:16px;margin:0 0 4px">${e.subject}</h2>
          <p class="muted" style="margin:0 0 8px">
            To <a href="/_emulator/mailbox?to=${encodeURIComponent(e.to)}">${e.to}</a> · ${e.sentAt}
          </p>
          ${e.code ? html`<p>Code: <strong style="font-size:20px;letter-spacing:.15em">${e.code}</strong></p>` : ''}
          <pre style="white-space:pre-wrap;margin:0 0 8px;font:inherit">${e.text}</pre>
          ${e.links.map((l) => html`<p><a href="${l}">${l}</a></p>`)}
        </article>`,
    )}`;
  return page('Mailbox', body, { wide: true, appName: ctx.state.environment.appName });
}

/** What GET /_emulator/state returns (as JSON). */
export type StateSummary = ReturnType<typeof stateSummary>;

function stateSummary(ctx: Context) {
  const { state } = ctx;
  const now = Date.now();
  return {
    environment: state.environment,
    organizations: [...state.organizations.values()].map((o) => {
      const counts: Record<string, number> = {};
      for (const m of state.memberships.get(o.id)?.values() ?? []) {
        const s = effectiveStatus(m, now);
        counts[s] = (counts[s] ?? 0) + 1;
      }
      return {
        id: o.id,
        name: o.name,
        externalId: o.externalId,
        maxAllowedUsers: o.maxAllowedUsers,
        seatsUsed: seatsUsed(state, o.id, now),
        memberships: counts,
      };
    }),
    users: state.users.size,
    sessions: {
      active: [...state.sessions.values()].filter((s) => s.status === 'ACTIVE').length,
      total: state.sessions.size,
    },
    emails: state.mailbox.length,
    events: { total: state.events.length, undelivered: state.events.filter((e) => !e.delivered).length },
    faults: ctx.faults.list(),
    clients: [...state.clients.values()].map((c) => ({
      id: c.id,
      name: c.name,
      redirectUris: c.redirectUris,
      postLogoutRedirectUris: c.postLogoutRedirectUris,
      initiateLoginUrl: c.initiateLoginUrl ?? null,
      webhookUrl: c.webhook?.url ?? null,
    })),
  };
}

/** Returns true when the request was a dev endpoint (handled), false otherwise. */
export async function handleDevEndpoint(ctx: Context, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '') || '/'}`;
  if (url.pathname === '/_emulator/directories' || url.pathname.startsWith('/_emulator/directories/')) {
    return handleDirectoryDevEndpoint(ctx, req, res, url);
  }
  switch (route) {
    case 'GET /health':
      sendJson(res, 200, { status: 'ok', issuer: ctx.issuer() });
      return true;
    case 'GET /_emulator/mailbox':
      sendHtml(res, 200, mailboxPage(ctx, url.searchParams.get('to')));
      return true;
    case 'GET /_emulator/emails':
      sendJson(res, 200, emailsFor(ctx, url.searchParams.get('to')));
      return true;
    case 'GET /_emulator/faults':
      sendJson(res, 200, ctx.faults.list());
      return true;
    case 'POST /_emulator/faults': {
      const result = ctx.faults.add(await readJson(req));
      if ('error' in result) sendJson(res, 400, { error: result.error });
      else sendJson(res, 201, result.fault);
      return true;
    }
    case 'DELETE /_emulator/faults':
      ctx.faults.clear();
      sendJson(res, 200, { cleared: true });
      return true;
    case 'POST /_emulator/reset':
      ctx.reset();
      sendJson(res, 200, { reset: true });
      return true;
    case 'GET /_emulator/events':
      sendJson(
        res,
        200,
        ctx.state.events
          .slice()
          .reverse()
          .map((e) => ({
            id: e.id,
            type: e.type,
            url: e.url,
            payload: e.payload,
            attempts: e.attempts,
            lastStatus: e.lastStatus,
            lastError: e.lastError,
            delivered: e.delivered,
            createdAt: e.createdAt,
            deliveredAt: e.deliveredAt,
          })),
      );
      return true;
    case 'GET /_emulator/state':
      sendJson(res, 200, stateSummary(ctx));
      return true;
    case 'GET /_emulator/settings':
      sendJson(res, 200, ctx.state.environment);
      return true;
    case 'POST /_emulator/settings': {
      const body = await readJson(req);
      const parsed = settingsInput.safeParse(body);
      if (!parsed.success) {
        sendJson(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
        return true;
      }
      // Only the keys that were sent: the schema's defaults must not reset the rest.
      const sent = new Set(Object.keys(body as object));
      const changes = Object.fromEntries(Object.entries(parsed.data).filter(([k]) => sent.has(k)));
      Object.assign(ctx.state.environment, changes);
      ctx.dir.changed();
      sendJson(res, 200, ctx.state.environment);
      return true;
    }
    case 'POST /_emulator/domains/dns-check': {
      // Stands in for Scalekit's DNS poll of a portal-added domain: the TXT record was found, or the window ran out.
      const body = (await readJson(req)) as { id?: unknown; outcome?: unknown };
      if (typeof body?.id !== 'string' || (body.outcome !== 'verified' && body.outcome !== 'failed')) {
        throw new HttpError(400, 'body must be { "id": "dom_…", "outcome": "verified" | "failed" }');
      }
      const domain = ctx.state.domains.get(body.id);
      if (!domain) throw new HttpError(404, `no domain ${body.id}`);
      try {
        const settled = settleDnsVerification(ctx.dir, domain, body.outcome);
        sendJson(res, 200, { id: settled.id, domain: settled.domain, verificationStatus: settled.verificationStatus });
      } catch (error) {
        if (error instanceof EmulatorError) throw new HttpError(409, error.message);
        throw error;
      }
      return true;
    }
    case 'POST /_emulator/scim/provision':
    case 'POST /_emulator/scim/deprovision': {
      // Stands in for the customer's IdP pushing a SCIM POST (provision) or DELETE (deprovision).
      const body = (await readJson(req)) as Record<string, unknown> | null;
      const str = (k: string) => (typeof body?.[k] === 'string' ? (body[k] as string) : undefined);
      const organizationId = str('organizationId');
      const email = str('email');
      if (!organizationId || !email) throw new HttpError(400, 'body must be { "organizationId": "org_…", "email": "…" }');
      try {
        if (route.endsWith('/deprovision')) {
          const m = scimDeprovision(ctx.dir, organizationId, email);
          sendJson(res, 200, { organizationId, userId: m.userId, status: m.status });
        } else {
          const u = scimProvision(ctx.dir, organizationId, {
            email,
            firstName: str('firstName'),
            lastName: str('lastName'),
            externalId: str('externalId'),
          });
          sendJson(res, 200, { organizationId, userId: u.id, status: ctx.state.memberships.get(organizationId)!.get(u.id)!.status });
        }
      } catch (error) {
        if (error instanceof EmulatorError) {
          const status = error.kind === 'NOT_FOUND' ? 404 : error.kind === 'INVALID_ARGUMENT' ? 400 : 409;
          throw new HttpError(status, error.message);
        }
        throw error;
      }
      return true;
    }
  }
  if (url.pathname.startsWith('/_emulator/')) {
    throw new HttpError(404, `no dev endpoint ${req.method} ${url.pathname}`);
  }
  return false;
}
