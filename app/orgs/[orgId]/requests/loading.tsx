import { TablePageSkeleton } from '@/components/page-states';

/** Shown while the requests page's queries run. */
export default function RequestsLoading() {
  return <TablePageSkeleton label="Loading the requests" filters={false} />;
}
