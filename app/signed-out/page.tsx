import type { Metadata } from 'next';
import Link from 'next/link';
import { CircleCheckIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Signed out', robots: { index: false } };

/** `?account=deleted`: where deleting one's account ends (app/account/delete-account.tsx). */
export default async function SignedOutPage({ searchParams }: { searchParams: Promise<{ account?: string | string[] }> }) {
  const deleted = (await searchParams).account === 'deleted';
  return (
    <div className="flex flex-1 items-center justify-center bg-muted/40 px-4 py-16">
      <div className="flex w-full max-w-sm flex-col items-center gap-4 rounded-xl border bg-card p-8 text-center shadow-sm">
        <span className="flex size-11 items-center justify-center rounded-full bg-success/12 text-success">
          <CircleCheckIcon className="size-5" aria-hidden="true" />
        </span>
        <h1 className="text-xl font-semibold tracking-tight">{deleted ? 'Your account is deleted' : "You're signed out"}</h1>
        <p className="text-sm text-muted-foreground">
          {deleted
            ? 'You have left your organizations and every session has ended. To come back, an admin has to invite you again.'
            : "Your session has ended on this device. Close the browser if it's a shared computer."}
        </p>
        <div className="mt-2 flex w-full flex-col gap-2">
          <Button asChild className="w-full">
            <Link href="/login">Sign in again</Link>
          </Button>
          <Button asChild variant="ghost" className="w-full">
            <Link href="/">Back to home</Link>
          </Button>
        </div>
      </div>
    </div>
  );
}
