import { TablePageSkeleton } from '@/components/page-states';

/** Shown while a review (or the list) is read. */
export default function AccessReviewsLoading() {
  return <TablePageSkeleton label="Loading the access review" filters={false} />;
}
