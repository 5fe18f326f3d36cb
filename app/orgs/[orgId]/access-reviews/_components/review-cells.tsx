import { Badge } from '@/components/ui/badge';
import { TableCell } from '@/components/ui/table';
import { describeAuthMethod } from '@/lib/auth/auth-method';
import { outcomeLabel } from '@/lib/access-reviews/evidence';
import type { AccessReviewItem } from '@/lib/generated/prisma/client';
import { STATUS_LABELS } from '@/lib/members/status';
import { formatDateTime, outcomeVariant } from '../format';

/** The columns of a member as they stood when the review started: the same on screen and in the printed report. */
export const SNAPSHOT_COLUMNS = ['Member', 'Role', 'Last sign-in', 'Method', 'Open sessions', 'API keys'];

export function SnapshotCells({ item, roleName }: { item: AccessReviewItem; roleName: (name: string | null) => string }) {
  return (
    <>
      <TableCell>
        <div className="flex flex-col">
          <span className="font-medium">{item.name || item.email}</span>
          {item.name && item.name !== item.email ? <span className="text-xs text-muted-foreground">{item.email}</span> : null}
          {item.status !== 'ACTIVE' ? <span className="text-xs text-muted-foreground">{STATUS_LABELS[item.status]}</span> : null}
        </div>
      </TableCell>
      <TableCell>{roleName(item.role)}</TableCell>
      <TableCell>{item.lastSignInAt ? formatDateTime(item.lastSignInAt) : 'Never'}</TableCell>
      <TableCell>{item.signInMethod ? describeAuthMethod(item.signInMethod) : 'Unknown'}</TableCell>
      <TableCell>{item.openSessions}</TableCell>
      <TableCell className="max-w-48 whitespace-normal">{item.apiKeys.length ? item.apiKeys.join(', ') : 'None'}</TableCell>
    </>
  );
}

/** What applying the decision did, with the reason when it did not go through. */
export function OutcomeCell({ item }: { item: AccessReviewItem }) {
  return (
    <TableCell className="max-w-64 min-w-40 whitespace-normal">
      <div className="flex flex-col items-start gap-1" data-testid="review-outcome">
        <Badge variant={outcomeVariant(item)}>{outcomeLabel(item)}</Badge>
        {item.outcomeMessage ? <span className="text-xs text-muted-foreground">{item.outcomeMessage}</span> : null}
      </div>
    </TableCell>
  );
}
