import type { ReactNode } from 'react';

/**
 * An organization page's frame: a section labelled by its level-1 heading, the heading with a
 * line saying what the page is for, the page's buttons beside them, then the page itself.
 */
export function PageSection({
  id,
  title,
  description,
  actions,
  children,
}: {
  /** The heading's id, which labels the section */
  id: string;
  title: ReactNode;
  description: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex max-w-3xl flex-col gap-1">
          <h1 id={id} className="text-xl font-semibold tracking-tight">
            {title}
          </h1>
          <p className="text-sm text-muted-foreground">{description}</p>
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}
