import type { Metadata } from 'next';
import { DashboardCards, DashboardHeading } from './dashboard-cards';

export const metadata: Metadata = { title: 'Dashboard' };

/*
 * Placeholder: middleware.ts keeps anonymous visitors out; the session-backed data (and the
 * server-side session re-check) replace the skeletons when the login flow lands.
 */
export default function DashboardPage() {
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-8 px-4 py-10 sm:px-6">
      <DashboardHeading />
      <DashboardCards />
    </div>
  );
}
