import { describe, expect, it } from 'vitest';
import { bossErrorForLog, JobError, parseJobData } from './boss';
import { jobs } from './registry';

describe('parseJobData', () => {
  it('fills a missing payload with {} and keeps a valid one', () => {
    expect(parseJobData(jobs, 'rate-limit.prune', undefined)).toEqual({});
    expect(parseJobData(jobs, 'rate-limit.prune', { batchSize: 100 })).toEqual({ batchSize: 100 });
  });

  it('names the field of a bad payload (400) and an unknown job (500)', () => {
    expect(() => parseJobData(jobs, 'rate-limit.prune', { batchSize: 'lots' })).toThrow(
      /Invalid data for job "rate-limit.prune": batchSize: /,
    );
    expect(() => parseJobData(jobs, 'rate-limit.prune', { extra: 1 })).toThrow(JobError);
    expect(() => parseJobData(jobs, 'no.such-job', {})).toThrow(expect.objectContaining({ code: 'unknown_job', status: 500 }));
  });
});

describe('bossErrorForLog', () => {
  it('turns pg-boss error events (plain objects or Errors) into scrubbed lines without SQL values', () => {
    const event = { message: 'refused Bearer abc.def', queue: 'rate-limit.prune', detail: 'Key (email)=(private@example.test)' };
    expect(bossErrorForLog(event)).toEqual({ name: 'Error', message: 'refused Bearer [redacted]', queue: 'rate-limit.prune' });
    expect(bossErrorForLog(new TypeError('sks_live_0123456789abcdef'))).toEqual({ name: 'TypeError', message: 'sks_[redacted]' });
  });
});
