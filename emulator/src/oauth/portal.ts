import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Context } from '../context.js';
import { createDomain, normalizeDomain } from '../domains.js';
import { EmulatorError } from '../errors.js';
import { html, page, raw, type RawHtml } from '../html.js';
import { HttpError, readForm, redirect, sendHtml } from '../http-util.js';
import { newId, newSecret, sha256 } from '../ids.js';
import { connectionEventData, setConnectionEnabled } from '../grpc/connections.js';
import { setDirectoryEnabled } from '../grpc/directories.js';
import type { ConnectionRecord, DirectoryRecord, OrganizationRecord, PortalSessionRecord, State } from '../state.js';

// The hosted admin portal: the page an organization's admin opens from the app to set up SSO and
// SCIM themselves (developer-docs src/content/docs/guides/admin-portal.mdx, which renders
// src/components/templates/_admin-portal.mdx).
//
// - OrganizationService.GeneratePortalLink answers `{id, location, expire_time}` with location
//   `<environment>/magicLink/<uuid>` (the documented response example). "Each generated link is
//   single-use and expires after 1 minute, though once loaded, the session remains active for up to
//   6 hours" (the same page; the SDK's organization.generatePortalLink doc comment says the same).
// - It is meant to be embedded in an iframe. Scalekit only lets an application's domain frame it
//   when it is among the environment's redirect URLs ("Redirect URI: Add your application domain"),
//   so the portal's pages send `frame-ancestors` with the origins of the clients' redirect URIs.
// - It tells the parent window what happened with postMessage (src/content/docs/reference/ui-events.mdx):
//   PORTAL_LOAD_SUCCESS / PORTAL_LOAD_FAILURE, ORGANIZATION_SSO_ENABLED / _DISABLED,
//   ORGANIZATION_DIRECTORY_ENABLED / _DISABLED, posted to those same origins only.
//
// Differences, said plainly: real Scalekit keeps the portal session in a cookie; an emulator on
// plain http in a cross-site iframe cannot rely on one (SameSite), so the session token travels in
// the portal's path (`/portal/<token>`, sent with `Referrer-Policy: no-referrer`). The emulated
// IdPs need no metadata, certificates or attribute mapping, so a connection is configured
// (COMPLETED) as soon as it has a name, and a directory as soon as its SCIM token is shown.

export const PORTAL_LINK_PATH = '/magicLink/';
export const PORTAL_PATH = '/portal/';
const LINK_TTL_MS = 60 * 1000;
const SESSION_TTL_MS = 6 * 60 * 60 * 1000;

/** ConnectionProvider names an organization's admin can pick, with the labels the portal shows. */
const SSO_PROVIDERS: Record<string, string> = {
  OKTA: 'Okta',
  MICROSOFT_AD: 'Microsoft Entra ID (Azure AD)',
  GOOGLE: 'Google Workspace',
  ONELOGIN: 'OneLogin',
  JUMPCLOUD: 'JumpCloud',
  PING_IDENTITY: 'PingIdentity',
  ADFS: 'Microsoft AD FS',
  CUSTOM: 'Custom (any OIDC or SAML IdP)',
};
/** DirectoryProvider names (proto scalekit.v1.directories.DirectoryProvider). */
const DIRECTORY_PROVIDERS: Record<string, string> = {
  OKTA: 'Okta',
  MICROSOFT_AD: 'Microsoft Entra ID (Azure AD)',
  GOOGLE: 'Google Workspace',
  ONELOGIN: 'OneLogin',
  JUMPCLOUD: 'JumpCloud',
  PING_IDENTITY: 'PingIdentity',
};
const PROTOCOLS = ['OIDC', 'SAML'] as const;

type Req = IncomingMessage;
type Res = ServerResponse;

/** What GeneratePortalLink answers; the link is stored until used or expired. */
export function issuePortalLink(state: State, organizationId: string, origin: string, now = Date.now()) {
  for (const [id, l] of state.portalLinks) if (l.used || l.expiresAt.getTime() <= now) state.portalLinks.delete(id);
  const id = randomUUID();
  const expiresAt = new Date(now + LINK_TTL_MS);
  state.portalLinks.set(id, { id, organizationId, expiresAt, used: false });
  return { id, location: `${origin.replace(/\/+$/, '')}${PORTAL_LINK_PATH}${id}`, expiresAt };
}

/** The origins allowed to frame the portal and receive its events: those of the clients' redirect URIs. */
function appOrigins(state: State): string[] {
  const origins = new Set<string>();
  for (const c of state.clients.values()) {
    for (const uri of c.redirectUris) {
      try {
        origins.add(new URL(uri).origin);
      } catch {
        /* not a URL: nothing to allow */
      }
    }
  }
  return [...origins];
}

interface UiEvent {
  event_type: string;
  object: string;
  organization_id?: string;
  message: string;
  data: Record<string, unknown>;
}

function render(ctx: Context, res: Res, status: number, title: string, body: RawHtml, events: UiEvent[]) {
  const origins = appOrigins(ctx.state);
  // JSON inside <script>: `<` escaped so no value can close the element.
  const payload = JSON.stringify({ origins, events }).replace(/</g, '\\u003c');
  const script = raw(
    `<script>(function(){var p=${payload};if(window.parent===window)return;p.events.forEach(function(e){p.origins.forEach(function(o){window.parent.postMessage(e,o);});});})();</script>`,
  );
  sendHtml(res, status, page(title, html`${body}${script}`, { wide: true, appName: ctx.state.environment.appName }), {
    'content-security-policy': `frame-ancestors 'self' ${origins.join(' ')}`.trim(),
    // The path holds the portal session: it must not leak to the IdP docs the page links to.
    'referrer-policy': 'no-referrer',
  });
}

function failure(ctx: Context, res: Res, status: number, title: string, message: string, errorCode: string) {
  render(
    ctx,
    res,
    status,
    title,
    html`<h1>${title}</h1>
      <div class="error" role="alert">${message}</div>`,
    [{ event_type: 'PORTAL_LOAD_FAILURE', object: 'session', message: 'The admin portal failed to load', data: { error_code: errorCode } }],
  );
}

/** GET /magicLink/<id> and GET|POST /portal/<token>: true when the path was the portal's. */
export async function handlePortal(ctx: Context, req: Req, res: Res, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (path.startsWith(PORTAL_LINK_PATH) && req.method === 'GET') {
    redeemLink(ctx, res, path.slice(PORTAL_LINK_PATH.length));
    return true;
  }
  if (!path.startsWith(PORTAL_PATH)) return false;
  const token = path.slice(PORTAL_PATH.length);
  const session = sessionFor(ctx.state, token);
  if (!session) {
    failure(
      ctx,
      res,
      401,
      'Your admin portal session has ended',
      'Open the admin portal again from the application to start a new session.',
      'SESSION_EXPIRED',
    );
    return true;
  }
  const org = ctx.state.organizations.get(session.organizationId);
  if (!org) {
    failure(ctx, res, 404, 'Organization not found', 'This organization no longer exists.', 'ORGANIZATION_NOT_FOUND');
    return true;
  }
  if (req.method === 'GET') {
    showPortal(ctx, res, token, org, session, {});
    return true;
  }
  if (req.method === 'POST') {
    await submitPortal(ctx, req, res, token, org, session);
    return true;
  }
  throw new HttpError(405, `${req.method} is not allowed on the admin portal`);
}

function redeemLink(ctx: Context, res: Res, id: string) {
  const link = ctx.state.portalLinks.get(id);
  if (!link || link.used || link.expiresAt.getTime() <= Date.now()) {
    return failure(
      ctx,
      res,
      410,
      'This admin portal link has expired',
      'Admin portal links work once and for one minute. Open the admin portal again from the application.',
      'LINK_EXPIRED',
    );
  }
  link.used = true;
  const token = newSecret();
  ctx.state.portalSessions.set(sha256(token), {
    organizationId: link.organizationId,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
  });
  redirect(res, `${PORTAL_PATH}${token}`, { 'referrer-policy': 'no-referrer' });
}

function sessionFor(state: State, token: string): PortalSessionRecord | null {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const key = sha256(token);
  const session = state.portalSessions.get(key);
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    state.portalSessions.delete(key);
    return null;
  }
  return session;
}

const connectionsOf = (state: State, organizationId: string) =>
  [...state.connections.values()].filter((c) => c.organizationId === organizationId);
const directoriesOf = (state: State, organizationId: string) =>
  [...state.directories.values()].filter((d) => d.organizationId === organizationId);

const connectionStatus = (c: ConnectionRecord) => (c.status !== 'COMPLETED' ? 'Not configured' : c.enabled ? 'Enabled' : 'Disabled');
const providerLabel = (labels: Record<string, string>, name: string) => labels[name] ?? name;

interface Outcome {
  notice?: string | RawHtml;
  error?: string;
  events?: UiEvent[];
}

function showPortal(ctx: Context, res: Res, token: string, org: OrganizationRecord, session: PortalSessionRecord, outcome: Outcome) {
  const action = `${PORTAL_PATH}${token}`;
  const button = (name: string, label: string, id: string, secondary = true) =>
    html`<form method="post" action="${action}" style="display:inline">
      <input type="hidden" name="action" value="${name}" /><input type="hidden" name="id" value="${id}" />
      <button type="submit" class="${secondary ? 'secondary' : ''}" style="width:auto;display:inline-block;margin:0 4px 4px 0">
        ${label}
      </button>
    </form>`;
  const connections = connectionsOf(ctx.state, org.id);
  const directories = directoriesOf(ctx.state, org.id);
  const connectionRows = connections.map((c) => {
    const name = c.hostedLogin?.displayName ?? c.uiButtonTitle;
    const requireSso = c.hostedLogin?.requireSso ?? false;
    return html`<tr>
      <th scope="row">${name}</th>
      <td>${c.type}</td>
      <td>${providerLabel(SSO_PROVIDERS, c.provider)}</td>
      <td>${(c.hostedLogin?.domains ?? []).join(', ') || '—'}</td>
      <td>${connectionStatus(c)}</td>
      <td>${requireSso ? 'Required' : 'Optional'}</td>
      <td>
        ${c.status === 'COMPLETED' ? (c.enabled ? button('disable_connection', `Disable ${name}`, c.id) : button('enable_connection', `Enable ${name}`, c.id, false)) : ''}
        ${c.hostedLogin ? button('toggle_require_sso', requireSso ? `Make SSO optional for ${name}` : `Require SSO for ${name}`, c.id) : ''}
      </td>
    </tr>`;
  });
  const directoryRows = directories.map((d) => {
    return html`<tr>
      <th scope="row">${d.name}</th>
      <td>${d.type}</td>
      <td>${providerLabel(DIRECTORY_PROVIDERS, d.provider)}</td>
      <td>${d.enabled ? 'Enabled' : 'Disabled'}</td>
      <td>${d.users.length}</td>
      <td>${d.groups.length}</td>
      <td>${d.lastSyncedAt ? d.lastSyncedAt.toISOString() : 'Never'}</td>
      <td>
        ${d.enabled ? button('disable_directory', `Disable ${d.name}`, d.id) : button('enable_directory', `Enable ${d.name}`, d.id, false)}
      </td>
    </tr>`;
  });
  const options = (labels: Record<string, string>) =>
    Object.entries(labels).map(([value, label]) => html`<option value="${value}">${label}</option>`);
  const events: UiEvent[] = [
    {
      event_type: 'PORTAL_LOAD_SUCCESS',
      object: 'session',
      message: 'The admin portal loaded successfully',
      organization_id: org.id,
      data: { expiry: session.expiresAt.toISOString() },
    },
    ...(outcome.events ?? []),
  ];
  render(
    ctx,
    res,
    outcome.error ? 400 : 200,
    `Admin portal · ${org.name}`,
    html`<h1>Admin portal for ${org.name}</h1>
      <p>Set up single sign-on and directory sync (SCIM) for ${org.name}. This session ends ${session.expiresAt.toISOString()}.</p>
      ${outcome.notice ? html`<div class="notice" role="status">${outcome.notice}</div>` : ''}
      ${outcome.error ? html`<div class="error" role="alert">${outcome.error}</div>` : ''}
      <section aria-labelledby="sso-heading">
        <h2 id="sso-heading">Single sign-on (SSO)</h2>
        ${
          connections.length
            ? html`<table aria-labelledby="sso-heading">
                <thead>
                  <tr>
                    <th scope="col">Connection</th>
                    <th scope="col">Protocol</th>
                    <th scope="col">Identity provider</th>
                    <th scope="col">Domains</th>
                    <th scope="col">Status</th>
                    <th scope="col">SSO for domains</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${connectionRows}
                </tbody>
              </table>`
            : html`<p>No SSO connection yet.</p>`
        }
        <form method="post" action="${action}" aria-labelledby="new-connection-heading">
          <h3 id="new-connection-heading">Add an SSO connection</h3>
          <input type="hidden" name="action" value="create_connection" />
          <label for="protocol">Protocol</label>
          <select id="protocol" name="protocol">
            ${PROTOCOLS.map((p) => html`<option value="${p}">${p}</option>`)}
          </select>
          <label for="sso-provider">Identity provider</label>
          <select id="sso-provider" name="provider">
            ${options(SSO_PROVIDERS)}
          </select>
          <label for="display-name">Display name</label>
          <input id="display-name" name="displayName" required maxlength="100" placeholder="Okta (Acme)" />
          <label for="domains">Domains</label>
          <input id="domains" name="domains" placeholder="acme.com, acme.co.uk" aria-describedby="domains-help" />
          <p id="domains-help" class="muted">People with an email at these domains sign in through this connection.</p>
          <label><input type="checkbox" name="requireSso" style="width:auto;margin:0 6px 0 0" />Require SSO for these domains</label>
          <button type="submit">Create connection</button>
        </form>
      </section>
      <section aria-labelledby="scim-heading">
        <h2 id="scim-heading">Directory sync (SCIM)</h2>
        ${
          directories.length
            ? html`<table aria-labelledby="scim-heading">
                <thead>
                  <tr>
                    <th scope="col">Directory</th>
                    <th scope="col">Type</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Status</th>
                    <th scope="col">Users</th>
                    <th scope="col">Groups</th>
                    <th scope="col">Last sync</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${directoryRows}
                </tbody>
              </table>`
            : html`<p>No directory yet.</p>`
        }
        <form method="post" action="${action}" aria-labelledby="new-directory-heading">
          <h3 id="new-directory-heading">Add a SCIM directory</h3>
          <input type="hidden" name="action" value="create_directory" />
          <label for="directory-provider">Directory provider</label>
          <select id="directory-provider" name="provider">
            ${options(DIRECTORY_PROVIDERS)}
          </select>
          <label for="directory-name">Directory name</label>
          <input id="directory-name" name="name" maxlength="100" placeholder="Okta directory" />
          <button type="submit">Create directory</button>
        </form>
      </section>`,
    events,
  );
}

async function submitPortal(ctx: Context, req: Req, res: Res, token: string, org: OrganizationRecord, session: PortalSessionRecord) {
  const form = await readForm(req);
  let outcome: Outcome;
  try {
    outcome = applyAction(ctx, org, form);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    outcome = { error: error.message };
  }
  showPortal(ctx, res, token, org, session, outcome);
}

function ownConnection(ctx: Context, org: OrganizationRecord, id: string | undefined): ConnectionRecord {
  const c = id ? ctx.state.connections.get(id) : undefined;
  if (!c || c.organizationId !== org.id)
    throw new EmulatorError('NOT_FOUND', 'CONNECTION_NOT_FOUND', 'That SSO connection does not exist.');
  return c;
}

function ownDirectory(ctx: Context, org: OrganizationRecord, id: string | undefined): DirectoryRecord {
  const d = id ? ctx.state.directories.get(id) : undefined;
  if (!d || d.organizationId !== org.id) throw new EmulatorError('NOT_FOUND', 'DIRECTORY_NOT_FOUND', 'That directory does not exist.');
  return d;
}

/** ui-events.mdx's SSO and directory events, with the documented fields. */
function connectionUiEvent(c: ConnectionRecord): UiEvent {
  return {
    event_type: c.enabled ? 'ORGANIZATION_SSO_ENABLED' : 'ORGANIZATION_SSO_DISABLED',
    object: 'connection',
    organization_id: c.organizationId,
    message: c.enabled ? 'Single sign-on connection enabled successfully' : 'Single sign-on connection disabled successfully',
    data: { connection_type: 'SSO', id: c.id, type: c.type, provider: c.provider, enabled: c.enabled },
  };
}

function directoryUiEvent(d: DirectoryRecord): UiEvent {
  return {
    event_type: d.enabled ? 'ORGANIZATION_DIRECTORY_ENABLED' : 'ORGANIZATION_DIRECTORY_DISABLED',
    object: 'directory',
    organization_id: d.organizationId,
    message: d.enabled ? 'SCIM Provisioning enabled successfully' : 'SCIM Provisioning disabled successfully',
    data: { directory_type: d.type, id: d.id, provider: d.provider, enabled: d.enabled },
  };
}

const invalidForm = (message: string) => new EmulatorError('INVALID_ARGUMENT', 'INVALID_PORTAL_INPUT', message);

function applyAction(ctx: Context, org: OrganizationRecord, form: Record<string, string>): Outcome {
  const { dir, state } = ctx;
  switch (form.action) {
    case 'create_connection': {
      const protocol = form.protocol ?? '';
      if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw invalidForm('Choose OIDC or SAML.');
      const provider = form.provider ?? '';
      if (!SSO_PROVIDERS[provider]) throw invalidForm('Choose an identity provider.');
      const displayName = (form.displayName ?? '').trim();
      if (!displayName || displayName.length > 100) throw invalidForm('Give the connection a display name (at most 100 characters).');
      const domains = parseDomains(ctx, org, form.domains ?? '');
      // Domains first: a refused one leaves no connection behind.
      for (const domain of domains.added)
        createDomain(dir, { organizationId: org.id, name: domain, type: 'ORGANIZATION_DOMAIN', addedBy: 'portal' });
      const now = new Date();
      const c: ConnectionRecord = {
        id: newId('conn'),
        organizationId: org.id,
        provider,
        type: protocol,
        status: 'COMPLETED',
        enabled: false,
        providerKey: provider.toLowerCase(),
        keyId: null,
        uiButtonTitle: displayName,
        // What the hosted login offers once the connection is enabled (grpc/connections.ts setConnectionEnabled).
        hostedLogin: { id: '', provider, displayName, domains: domains.all, requireSso: form.requireSso === 'on' },
        createdAt: now,
        updatedAt: now,
      };
      c.hostedLogin!.id = c.id;
      state.connections.set(c.id, c);
      dir.webhooks.emit('organization.sso_created', connectionEventData(c));
      dir.changed();
      return { notice: `Created ${displayName}. Enable it when your identity provider is ready.` };
    }
    case 'enable_connection':
    case 'disable_connection': {
      const c = ownConnection(ctx, org, form.id);
      setConnectionEnabled(dir, c, form.action === 'enable_connection');
      const name = c.hostedLogin?.displayName ?? c.uiButtonTitle;
      return { notice: `${name} is ${c.enabled ? 'enabled' : 'disabled'}.`, events: [connectionUiEvent(c)] };
    }
    case 'toggle_require_sso': {
      const c = ownConnection(ctx, org, form.id);
      if (!c.hostedLogin) throw invalidForm('This connection has no sign-in settings to change.');
      c.hostedLogin.requireSso = !c.hostedLogin.requireSso;
      if (org.ssoConnection?.id === c.id) org.ssoConnection.requireSso = c.hostedLogin.requireSso;
      c.updatedAt = new Date();
      dir.changed();
      return {
        notice: c.hostedLogin.requireSso
          ? `People at ${c.hostedLogin.domains.join(', ') || 'this organization'} now have to sign in with ${c.hostedLogin.displayName}.`
          : `Single sign-on is now optional for ${c.hostedLogin.displayName}.`,
      };
    }
    case 'create_directory': {
      const provider = form.provider ?? '';
      if (!DIRECTORY_PROVIDERS[provider]) throw invalidForm('Choose a directory provider.');
      const name = (form.name ?? '').trim() || `${DIRECTORY_PROVIDERS[provider]} directory`;
      if (name.length > 100) throw invalidForm('The directory name can be at most 100 characters.');
      const now = new Date();
      const secret = newSecret(24);
      const d: DirectoryRecord = {
        id: newId('dir'),
        organizationId: org.id,
        name,
        type: 'SCIM',
        provider,
        enabled: false,
        status: 'COMPLETED',
        groups: [],
        users: [],
        lastSyncedAt: null,
        secrets: [{ id: newId('dirsec'), secretHash: sha256(secret), secretSuffix: secret.slice(-4), createdAt: now }],
        createdAt: now,
        updatedAt: now,
      };
      state.directories.set(d.id, d);
      // Scalekit's webhook catalogue has no directory-created event (only _enabled / _disabled).
      dir.changed();
      const endpoint = `${state.publicUrl}/api/v1/directories/${d.id}/scim/v2`;
      return {
        notice: html`Created ${name}. Give your identity provider these values; the token is shown only now.
          <dl>
            <dt>SCIM endpoint URL</dt>
            <dd><code data-testid="scim-endpoint">${endpoint}</code></dd>
            <dt>Bearer token</dt>
            <dd><code data-testid="scim-token">${secret}</code></dd>
          </dl>`,
      };
    }
    case 'enable_directory':
    case 'disable_directory': {
      const d = ownDirectory(ctx, org, form.id);
      setDirectoryEnabled(dir, { organizationId: org.id, id: d.id }, form.action === 'enable_directory');
      return { notice: `${d.name} is ${d.enabled ? 'enabled' : 'disabled'}.`, events: [directoryUiEvent(d)] };
    }
    default:
      throw invalidForm('Unknown action.');
  }
}

/** The domains typed, normalized; those the organization already has are kept, never added twice. */
function parseDomains(ctx: Context, org: OrganizationRecord, text: string): { all: string[]; added: string[] } {
  const all = [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((d) => normalizeDomain(d)),
    ),
  ];
  if (all.length > 20) throw invalidForm('Add at most 20 domains to one connection.');
  const own = new Set(
    [...ctx.state.domains.values()]
      .filter((d) => d.organizationId === org.id && d.domainType === 'ORGANIZATION_DOMAIN')
      .map((d) => d.domain),
  );
  return { all, added: all.filter((d) => !own.has(d)) };
}
