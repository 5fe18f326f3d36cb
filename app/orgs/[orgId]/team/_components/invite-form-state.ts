import type { SentOutcome } from '@/lib/invitations/service';

/** What the invite form's server action hands back to useActionState. `at` makes every result distinct for effects. */
export type InviteFormState =
  | { status: 'idle' }
  | { status: 'done'; outcome: SentOutcome; message: string; email: string; membershipId: string; at: number }
  /** An invitation rule held it: a request waits for an admin; nothing was sent. */
  | { status: 'held'; message: string; email: string; requestId: string; at: number }
  | {
      status: 'error';
      error: string;
      fieldErrors: Record<string, string>;
      values: { email: string; role: string; name: string };
      at: number;
    };

export const initialInviteFormState: InviteFormState = { status: 'idle' };
