import { Building2Icon } from 'lucide-react';
import { cn } from '@/lib/utils';

/**
 * An organization's uploaded logo, or the building icon when it has none. `alt` defaults to empty:
 * beside the organization's name the image adds nothing a screen reader should repeat.
 */
export function OrgLogo({ src, alt = '', className }: { src?: string | null; alt?: string; className?: string }) {
  if (!src) return <Building2Icon className={cn('size-4 shrink-0 text-muted-foreground', className)} aria-hidden="true" />;
  // A plain img on purpose: next/image would fetch the members-only logo server-side and keep it
  // in its own cache, outside the route's private caching and membership check.
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={src} alt={alt} className={cn('size-4 shrink-0 rounded-sm object-contain', className)} />;
}
