import { TablePageSkeleton } from '@/components/page-states';

/** Shown while Scalekit is asked for the organization's connections and directories. */
export default function SsoLoading() {
  return <TablePageSkeleton label="Loading single sign-on and directory status" filters={false} />;
}
