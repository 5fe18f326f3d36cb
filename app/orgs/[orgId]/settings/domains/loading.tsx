import { TablePageSkeleton } from '@/components/page-states';

export default function DomainsLoading() {
  return <TablePageSkeleton label="Loading the domains" filters={false} />;
}
