/**
 * A minimal HTTP "browser" for the load suite: a cookie jar per host and manual redirects, so a
 * login goes through exactly what a browser does (app → Scalekit's hosted pages → callback →
 * dashboard) with no Chromium. Each virtual user has its own X-Forwarded-For, as real users
 * behind the load balancer would.
 */

export interface Hop {
  url: string;
  status: number;
  ms: number;
}

export class Browserless {
  private readonly jar = new Map<string, Map<string, string>>();
  readonly hops: Hop[] = [];

  constructor(private readonly clientIp: string) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  private store(url: URL, response: Response): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(url.host, cookies);
  }

  private cookieHeader(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, no redirect following. */
  async request(
    target: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = new URL(target);
    const headers: Record<string, string> = { 'x-forwarded-for': this.clientIp, accept: 'text/html,application/json', ...init.headers };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const started = performance.now();
    const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.hops.push({ url: `${url.origin}${url.pathname}`, status: response.status, ms: performance.now() - started });
    this.store(url, response);
    return response;
  }

  /** Follow redirects (GET) until a non-redirect answer; returns it and the final URL. */
  async follow(target: string, init: Parameters<Browserless['request']>[1] = {}, max = 10): Promise<{ response: Response; url: string }> {
    let url = target;
    let response = await this.request(url, init);
    for (let i = 0; i < max && response.status >= 300 && response.status < 400; i++) {
      await response.arrayBuffer();
      url = new URL(response.headers.get('location')!, url).toString();
      response = await this.request(url);
    }
    return { response, url };
  }
}

/** The hidden `flow` field of an emulator hosted page. */
export function flowId(html: string): string {
  const match = /name="flow" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no flow id on the hosted page');
  return match[1]!;
}
