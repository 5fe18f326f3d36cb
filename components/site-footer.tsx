import { BrandMark } from '@/components/brand';

export function SiteFooter() {
  return (
    <footer className="border-t print:hidden">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-6 text-sm text-muted-foreground sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p className="flex items-center gap-2">
          <BrandMark className="size-4" />
          Teamgate — invite-only team login, built on Scalekit.
        </p>
        <p>Access is by invitation from your organization&apos;s admin.</p>
      </div>
    </footer>
  );
}
