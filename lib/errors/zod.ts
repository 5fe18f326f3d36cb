import type { z } from 'zod';
import { AppError } from './app-error';

/** zod issues as { field: first message }, the shape forms and the API show. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** A zod failure as a 400 validation_failed: every field's message, the first one as the sentence. */
export function validationError(error: z.ZodError, fallback: string): AppError {
  const fields = fieldErrors(error);
  return new AppError('validation_failed', Object.values(fields)[0] ?? fallback, { fields });
}
