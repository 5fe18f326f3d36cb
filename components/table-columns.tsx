import type { ReactNode } from 'react';
import { TableHead, TableHeader, TableRow } from '@/components/ui/table';

/** A column heading: its text, or the text with classes for its width or alignment. */
export type Column = string | { label: ReactNode; className?: string };

/**
 * The header row of a data table: one heading per column and, with `actions`, a last column for
 * row buttons whose heading only screen readers read ("Actions"). `actions` is that column's
 * className ('' for none).
 */
export function TableColumns({ columns, actions }: { columns: Column[]; actions?: string }) {
  return (
    <TableHeader>
      <TableRow>
        {columns.map((column, i) =>
          typeof column === 'string' ? (
            <TableHead key={column}>{column}</TableHead>
          ) : (
            <TableHead key={i} className={column.className}>
              {column.label}
            </TableHead>
          ),
        )}
        {actions !== undefined ? (
          <TableHead className={actions || undefined}>
            <span className="sr-only">Actions</span>
          </TableHead>
        ) : null}
      </TableRow>
    </TableHeader>
  );
}

/** What a list page shows in place of its table when there is nothing to list. */
export function EmptyTableNotice({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <p className="rounded-lg border border-dashed px-6 py-10 text-center text-sm text-muted-foreground" data-testid={testId}>
      {children}
    </p>
  );
}
