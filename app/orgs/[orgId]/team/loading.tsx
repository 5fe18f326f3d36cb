import { TablePageSkeleton } from '@/components/page-states';

/** Shown while the team page's queries run. */
export default function TeamLoading() {
  return <TablePageSkeleton label="Loading the team" />;
}
