import Link from 'next/link';
import { cn } from '@/lib/utils';

/** The Teamgate mark: a gate (two posts and a lintel) in the accent colour. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={cn('size-6', className)}>
      <rect width="24" height="24" rx="6" className="fill-primary" />
      <path d="M7 18V9.5a5 5 0 0 1 10 0V18" fill="none" strokeWidth="2.2" strokeLinecap="round" className="stroke-primary-foreground" />
      <path d="M12 18v-5" fill="none" strokeWidth="2.2" strokeLinecap="round" className="stroke-primary-foreground/70" />
    </svg>
  );
}

export function Brand({ href = '/', className }: { href?: string; className?: string }) {
  return (
    <Link href={href} className={cn('flex items-center gap-2 rounded-md font-semibold tracking-tight', className)}>
      <BrandMark />
      <span>Teamgate</span>
    </Link>
  );
}
