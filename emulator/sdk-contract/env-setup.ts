import { inject } from 'vitest';

// Runs before the vendored tests/setup.ts, which reads these three variables to build its client.
const environment = inject('scalekitEnvironment');
process.env.SCALEKIT_ENVIRONMENT_URL = environment.url;
process.env.SCALEKIT_CLIENT_ID = environment.clientId;
process.env.SCALEKIT_CLIENT_SECRET = environment.clientSecret;
