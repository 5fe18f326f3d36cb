import type { InviteOutcome } from '@/lib/invitations/service';

/** What the invite form's server action hands back to useActionState. `at` makes every result distinct for effects. */
export type InviteFormState =
  | { status: 'idle' }
  | { status: 'done'; outcome: InviteOutcome; message: string; email: string; membershipId: string; at: number }
  | {
      status: 'error';
      error: string;
      fieldErrors: Record<string, string>;
      values: { email: string; role: string; name: string };
      at: number;
    };

export const initialInviteFormState: InviteFormState = { status: 'idle' };
