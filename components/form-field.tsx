import type { ReactElement, ReactNode } from 'react';
import { Slot } from 'radix-ui';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/utils';

/**
 * A label over its control (the one child element), then the field's error or, while there is
 * none, its help line. The control is given the id the label points at and aria-describedby for
 * the line on screen (`{id}-error` or `{id}-help`, the ids the e2e page objects find errors by),
 * so a screen reader reads what is shown. A control whose error is shown elsewhere (an alert)
 * sets aria-invalid itself: its own props win over the ones given here.
 */
export function FormField({
  id,
  label,
  help,
  error,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: ReactElement;
}) {
  const describedBy = error ? `${id}-error` : help ? `${id}-help` : undefined;
  return (
    <div className={cn('flex flex-col gap-2', className)}>
      <Label htmlFor={id}>{label}</Label>
      <Slot.Root id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {children}
      </Slot.Root>
      {error ? (
        <p id={`${id}-error`} className="text-xs text-destructive">
          {error}
        </p>
      ) : help ? (
        <p id={`${id}-help`} className="text-xs text-muted-foreground">
          {help}
        </p>
      ) : null}
    </div>
  );
}
