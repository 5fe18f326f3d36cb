import { Skeleton } from '@/components/ui/skeleton';

/** Shown while the team page's queries run; the same shape as the table so nothing jumps. */
export default function TeamLoading() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" aria-label="Loading the team">
      <div className="flex items-start justify-between gap-4">
        <div className="flex flex-col gap-2">
          <Skeleton className="h-6 w-24" />
          <Skeleton className="h-4 w-72" />
        </div>
        <Skeleton className="h-8 w-56" />
      </div>
      <Skeleton className="h-9 w-full" />
      <div className="flex flex-col gap-2">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
