import { cn } from '@/lib/utils';

/**
 * A determinate progress bar: `value` of `max`, announced as a progressbar with its `label`.
 * `indicatorClassName` colours or animates the filled part (Tailwind classes override the default).
 */
export function ProgressBar({
  label,
  value,
  max,
  indicatorClassName,
}: {
  label: string;
  value: number;
  max: number;
  indicatorClassName?: string;
}) {
  // Clamped, so a value past `max` (seats in use above a limit lowered in Scalekit) fills the track and no more.
  const percent = max ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className="h-2 w-full overflow-hidden rounded-full bg-muted"
    >
      <div className={cn('h-full bg-primary', indicatorClassName)} style={{ width: `${percent}%` }} />
    </div>
  );
}
