import { DashboardCards, DashboardHeading } from './dashboard-cards';

export default function DashboardLoading() {
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-8 px-4 py-10 sm:px-6" role="status" aria-label="Loading dashboard">
      <DashboardHeading />
      <DashboardCards />
    </div>
  );
}
