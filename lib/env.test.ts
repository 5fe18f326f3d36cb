import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnvError, envSchema, loadEnv } from './env';

/** A complete, valid production configuration; each test breaks one thing. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  APP_URL: 'https://app.example.com',
  DATABASE_URL: 'postgresql://teamgate:pw@db.internal:5432/teamgate?sslmode=require',
  SCALEKIT_ENVIRONMENT_URL: 'https://example.scalekit.com',
  SCALEKIT_CLIENT_ID: 'skc_1234567890',
  SCALEKIT_CLIENT_SECRET: 'test_client_secret_value',
  SCALEKIT_WEBHOOK_SECRET: 'whsec_cHJvZHVjdGlvbi13ZWJob29rLXNlY3JldA==',
  SESSION_SECRET: 'prod-session-secret-0123456789-abcdefghijklmnop',
};

const REQUIRED_IN_PRODUCTION = [
  'APP_URL',
  'DATABASE_URL',
  'SCALEKIT_ENVIRONMENT_URL',
  'SCALEKIT_CLIENT_ID',
  'SCALEKIT_CLIENT_SECRET',
  'SCALEKIT_WEBHOOK_SECRET',
  'SESSION_SECRET',
] as const;

function loadError(source: Record<string, string | undefined>): EnvError {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('expected loadEnv to throw an EnvError');
}

describe('loadEnv in development and test', () => {
  it('works with no variables at all, pointing at the emulator and the embedded database', () => {
    const env = loadEnv({});
    expect(env.NODE_ENV).toBe('development');
    expect(env.APP_URL).toBe('http://localhost:3000');
    expect(env.DATABASE_URL).toBe('postgresql://postgres:postgres@127.0.0.1:54329/postgres');
    expect(env.SCALEKIT_ENVIRONMENT_URL).toBe('http://localhost:8787');
    expect(env.SCALEKIT_CLIENT_ID).toBe('skc_teamgate_dev');
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.SCALEKIT_WEBHOOK_SECRET).toMatch(/^whsec_/);
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('uses the same defaults under NODE_ENV=test', () => {
    const env = loadEnv({ NODE_ENV: 'test' });
    expect(env.NODE_ENV).toBe('test');
    expect(env.SCALEKIT_ENVIRONMENT_URL).toBe('http://localhost:8787');
  });

  it('lets a set variable override its default, and treats an empty one as unset', () => {
    const env = loadEnv({ DATABASE_URL: 'postgres://me@127.0.0.1:5432/mine', APP_URL: '', DATABASE_POOL_MAX: '3' });
    expect(env.DATABASE_URL).toBe('postgres://me@127.0.0.1:5432/mine');
    expect(env.APP_URL).toBe('http://localhost:3000');
    expect(env.DATABASE_POOL_MAX).toBe(3);
  });

  it('drops trailing slashes from http URLs so paths can be appended safely', () => {
    const env = loadEnv({ APP_URL: 'http://localhost:3100//', SCALEKIT_ENVIRONMENT_URL: 'https://acme.scalekit.dev/' });
    expect(env.APP_URL).toBe('http://localhost:3100');
    expect(env.SCALEKIT_ENVIRONMENT_URL).toBe('https://acme.scalekit.dev');
  });

  it('still validates values that are set in development', () => {
    const error = loadError({ SESSION_SECRET: 'too-short' });
    expect(error.problems).toEqual([expect.stringMatching(/^SESSION_SECRET must be at least 32 characters/)]);
  });

  it('only reads the variables it knows, ignoring the rest of the environment', () => {
    const env = loadEnv({ PATH: '/usr/bin', HOME: '/root' }) as Record<string, unknown>;
    expect(env.PATH).toBeUndefined();
    expect(Object.keys(env).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});

describe('loadEnv in production', () => {
  it('accepts a complete configuration', () => {
    const env = loadEnv(PRODUCTION);
    expect(env.NODE_ENV).toBe('production');
    expect(env.APP_URL).toBe('https://app.example.com');
    expect(env.SCALEKIT_CLIENT_SECRET).toBe(PRODUCTION.SCALEKIT_CLIENT_SECRET);
  });

  it('has no defaults for anything that identifies or secures the deployment: lists every missing one at once', () => {
    const error = loadError({ NODE_ENV: 'production' });
    expect(error.problems).toHaveLength(REQUIRED_IN_PRODUCTION.length);
    for (const name of REQUIRED_IN_PRODUCTION) {
      expect(error.problems).toContain(`${name} is required but not set`);
    }
    expect(error.message).toContain(`Teamgate cannot start: ${REQUIRED_IN_PRODUCTION.length} environment variables are`);
    expect(error.message).toContain('See .env.example');
  });

  it.each(REQUIRED_IN_PRODUCTION)('refuses to start without %s and names only that variable', (name) => {
    const error = loadError({ ...PRODUCTION, [name]: undefined });
    expect(error.problems).toEqual([`${name} is required but not set`]);
    expect(error.message).toContain('1 environment variable is missing or malformed');
  });

  it.each(REQUIRED_IN_PRODUCTION)('treats an empty %s as missing', (name) => {
    expect(loadError({ ...PRODUCTION, [name]: '' }).problems).toEqual([`${name} is required but not set`]);
  });

  it('keeps the optional settings optional', () => {
    const env = loadEnv(PRODUCTION);
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('throws an Error subclass with a readable name and the problems as data', () => {
    const error = loadError({ NODE_ENV: 'production' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EnvError');
    expect(Array.isArray(error.problems)).toBe(true);
  });
});

describe('malformed values are named with what is wrong', () => {
  it.each([['not a url at all'], ['mysql://teamgate:pw@db.internal:3306/teamgate'], ['http://db.internal:5432/teamgate']])(
    'DATABASE_URL=%s',
    (value) => {
      const error = loadError({ ...PRODUCTION, DATABASE_URL: value });
      expect(error.problems.length).toBeGreaterThan(0);
      for (const problem of error.problems) expect(problem).toMatch(/^DATABASE_URL must /);
      expect(error.message).toMatch(/postgresql:\/\//);
    },
  );

  it('accepts both postgres:// and postgresql:// with query options', () => {
    expect(loadEnv({ ...PRODUCTION, DATABASE_URL: 'postgres://u:p%40ss@db:5432/x?sslmode=require' }).DATABASE_URL).toBe(
      'postgres://u:p%40ss@db:5432/x?sslmode=require',
    );
  });

  it('SESSION_SECRET shorter than 32 characters, with how to make a good one', () => {
    const error = loadError({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) });
    expect(error.problems).toEqual(['SESSION_SECRET must be at least 32 characters (try: openssl rand -base64 48)']);
  });

  it('accepts a SESSION_SECRET of exactly 32 characters', () => {
    expect(loadEnv({ ...PRODUCTION, SESSION_SECRET: 'y'.repeat(32) }).SESSION_SECRET).toHaveLength(32);
  });

  it.each([['whsec_'], ['secret_abc'], ['whsec_has spaces']])('SCALEKIT_WEBHOOK_SECRET=%s', (value) => {
    expect(loadError({ ...PRODUCTION, SCALEKIT_WEBHOOK_SECRET: value }).problems).toEqual([
      'SCALEKIT_WEBHOOK_SECRET must look like whsec_<base64> (copy it from the Scalekit dashboard)',
    ]);
  });

  it.each([['APP_URL'], ['SCALEKIT_ENVIRONMENT_URL']])('%s must be an http(s) URL', (name) => {
    for (const value of ['ftp://files.example.com', 'javascript:alert(1)']) {
      expect(loadError({ ...PRODUCTION, [name]: value }).problems).toEqual([
        `${name} must be an absolute URL starting with http:// or https://`,
      ]);
    }
    // A bad value is reported once, not once per failed check.
    const relative = loadError({ ...PRODUCTION, [name]: 'app.example.com' });
    expect(relative.problems).toEqual([`${name} must be an absolute URL starting with http:// or https://`]);
  });

  it.each([['abc'], ['0'], ['101'], ['2.5']])('DATABASE_POOL_MAX=%s', (value) => {
    const error = loadError({ ...PRODUCTION, DATABASE_POOL_MAX: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^DATABASE_POOL_MAX /);
  });

  it('HEALTH_CHECK_TOKEN is optional, but when set must be a long random token (and is never echoed)', () => {
    expect(loadEnv(PRODUCTION).HEALTH_CHECK_TOKEN).toBeUndefined();
    expect(loadEnv({ ...PRODUCTION, HEALTH_CHECK_TOKEN: 'h'.repeat(32) }).HEALTH_CHECK_TOKEN).toBe('h'.repeat(32));
    for (const bad of ['short-token-3f9a', `${'h'.repeat(32)} with spaces`]) {
      const error = loadError({ ...PRODUCTION, HEALTH_CHECK_TOKEN: bad });
      expect(error.problems).toEqual(['HEALTH_CHECK_TOKEN must be at least 32 characters without spaces (try: openssl rand -base64 32)']);
      expect(error.message).not.toContain(bad);
    }
  });

  it('RATE_LIMIT_HEALTH_PER_MINUTE defaults to 60 and takes whole numbers only', () => {
    expect(loadEnv(PRODUCTION).RATE_LIMIT_HEALTH_PER_MINUTE).toBe(60);
    expect(loadError({ ...PRODUCTION, RATE_LIMIT_HEALTH_PER_MINUTE: '0' }).problems).toEqual([
      'RATE_LIMIT_HEALTH_PER_MINUTE must be a whole number from 1 to 1000000',
    ]);
  });

  it('LOG_LEVEL outside the known levels', () => {
    expect(loadError({ ...PRODUCTION, LOG_LEVEL: 'loud' }).problems[0]).toMatch(/^LOG_LEVEL must be one of .*info/);
  });

  it('an unknown NODE_ENV is refused rather than silently treated as development', () => {
    const error = loadError({ NODE_ENV: 'staging' });
    expect(error.problems).toEqual(['NODE_ENV must be development, test or production']);
  });

  it('production refuses the public development secrets even when set explicitly', () => {
    const error = loadError({ ...PRODUCTION, SESSION_SECRET: 'dev-only-session-secret-change-me-0123456789abcdef' });
    expect(error.problems).toEqual(['SESSION_SECRET is the public development default; set a real secret in production']);
  });

  it('accepts a Unix-socket PostgreSQL URL', () => {
    expect(loadEnv({ ...PRODUCTION, DATABASE_URL: 'postgresql://app@/teamgate?host=/var/run/postgresql' }).DATABASE_URL).toContain('host=');
  });

  it('reports several malformed variables together, each by name', () => {
    const error = loadError({ SESSION_SECRET: 'short', DATABASE_URL: 'mysql://h/db', LOG_LEVEL: 'loud' });
    expect(error.problems.map((p) => p.split(' ')[0])).toEqual(['DATABASE_URL', 'SESSION_SECRET', 'LOG_LEVEL']);
    expect(error.message).toContain('3 environment variables are missing or malformed');
  });
});

describe('secrets never appear in errors', () => {
  const badValues: Record<string, string> = {
    NODE_ENV: 'production',
    APP_URL: 'gopher://leak-app-url-7f3a',
    DATABASE_URL: 'mysql://admin:hunter2-db-password-9c1e@db.internal/x9q4',
    SCALEKIT_ENVIRONMENT_URL: 'not-a-url-leak-env-5d2b',
    SCALEKIT_CLIENT_ID: 'skc_fine',
    SCALEKIT_CLIENT_SECRET: 'sks_fine_but_secret_4e8d',
    SCALEKIT_WEBHOOK_SECRET: 'whsec_not valid because spaces 2a6f',
    SESSION_SECRET: 'short-session-secret-0b7c',
    DATABASE_POOL_MAX: 'many-8e3d',
    LOG_LEVEL: 'verbose-1c9a',
  };

  it('names every bad variable but echoes none of the values', () => {
    const error = loadError(badValues);
    const names = error.problems.map((p) => p.split(' ')[0]);
    for (const name of [
      'APP_URL',
      'DATABASE_URL',
      'SCALEKIT_ENVIRONMENT_URL',
      'SCALEKIT_WEBHOOK_SECRET',
      'SESSION_SECRET',
      'DATABASE_POOL_MAX',
      'LOG_LEVEL',
    ]) {
      expect(names).toContain(name);
    }
    const everything = [error.message, error.stack ?? '', JSON.stringify(error), ...error.problems].join('\n');
    for (const [name, value] of Object.entries(badValues)) {
      if (name === 'NODE_ENV') continue;
      expect(everything).not.toContain(value);
      // The distinctive tail of each value stands in for any partial echo (e.g. a URL's password).
      expect(everything).not.toContain(value.slice(-4));
    }
    expect(everything).not.toContain('hunter2');
  });

  it('does not echo a good secret when another variable is the problem', () => {
    const error = loadError({ ...PRODUCTION, DATABASE_URL: undefined });
    for (const secret of [PRODUCTION.SESSION_SECRET, PRODUCTION.SCALEKIT_CLIENT_SECRET, PRODUCTION.SCALEKIT_WEBHOOK_SECRET]) {
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error.problems)).not.toContain(secret);
    }
  });
});

describe('getEnv and the env proxy', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('do not validate at import time, so `next build` can import modules without runtime configuration', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('SESSION_SECRET', '');
    vi.resetModules();
    const mod = await import('./env');
    expect(() => mod.env.SESSION_SECRET).toThrow(/SESSION_SECRET is required but not set/);
  });

  it('read process.env once and cache the result', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    vi.stubEnv('APP_URL', 'http://localhost:4321');
    vi.resetModules();
    const mod = await import('./env');
    expect(mod.getEnv().APP_URL).toBe('http://localhost:4321');
    vi.stubEnv('APP_URL', 'http://localhost:9999');
    expect(mod.env.APP_URL).toBe('http://localhost:4321');
    expect(mod.getEnv()).toBe(mod.getEnv());
  });
});
