import { TablePageSkeleton } from '@/components/page-states';

/** Shown while the endpoints and their delivery log are read. */
export default function WebhooksLoading() {
  return <TablePageSkeleton label="Loading webhooks" filters={false} />;
}
