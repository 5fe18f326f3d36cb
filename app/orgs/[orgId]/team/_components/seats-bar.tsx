import type { SeatUsage } from '@/lib/members/service';
import { ProgressBar } from '@/components/progress-bar';
import { cn } from '@/lib/utils';

/** Seats used against the limit, as text and a bar; turns amber near the limit and red at it. */
export function SeatsBar({ seats }: { seats: SeatUsage }) {
  const { used, limit } = seats;
  const ratio = limit ? Math.min(1, used / limit) : 0;
  const full = limit !== null && used >= limit;
  return (
    <div className="flex min-w-56 flex-col gap-1.5" data-testid="seats">
      <p className="text-sm">
        <span className="font-medium">{used}</span>
        {limit !== null ? (
          <>
            {' '}
            of <span className="font-medium">{limit}</span> seats used
          </>
        ) : (
          <> seats used · no limit</>
        )}
      </p>
      {limit !== null ? (
        <ProgressBar
          label="Seats used"
          value={used}
          max={limit}
          indicatorClassName={cn('rounded-full', ratio >= 0.9 && 'bg-warning', full && 'bg-destructive')}
        />
      ) : null}
      {full ? <p className="text-xs text-destructive">No seats left: new invitations will be refused.</p> : null}
    </div>
  );
}
