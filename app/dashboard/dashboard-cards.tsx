import { Building2Icon, ShieldCheckIcon, UsersIcon } from 'lucide-react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';

const cards = [
  { title: 'Your organization', description: 'The organization you are working in', icon: Building2Icon, lines: ['w-32', 'w-44'] },
  { title: 'Your role', description: 'What you can do in this organization', icon: ShieldCheckIcon, lines: ['w-20', 'w-40'] },
  { title: 'Team', description: 'Members and pending invitations', icon: UsersIcon, lines: ['w-24', 'w-36'] },
] as const;

/**
 * The three summary cards with placeholder content. Shared by the page and its loading state,
 * so the layout does not jump when the real data replaces the skeletons.
 */
/** One dashboard card: title, description and icon, with the content below. */
export function SummaryCard({
  title,
  description,
  icon: Icon,
  testId,
  busy,
  children,
}: {
  title: string;
  description: string;
  icon: typeof Building2Icon;
  testId?: string;
  busy?: boolean;
  children: React.ReactNode;
}) {
  return (
    <Card data-testid={testId} aria-busy={busy || undefined}>
      <CardHeader className="flex-row items-start justify-between gap-3">
        <div className="flex flex-col gap-1.5">
          <CardTitle className="text-base">{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
        <span className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-accent text-accent-foreground">
          <Icon className="size-4" aria-hidden="true" />
        </span>
      </CardHeader>
      <CardContent className="flex flex-col gap-2">{children}</CardContent>
    </Card>
  );
}

export function DashboardCards() {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      {cards.map(({ title, description, icon, lines }) => (
        <SummaryCard key={title} title={title} description={description} icon={icon} busy>
          <Skeleton className={`h-6 ${lines[0]}`} />
          <Skeleton className={`h-4 ${lines[1]}`} />
        </SummaryCard>
      ))}
    </div>
  );
}

export function DashboardHeading() {
  return (
    <div className="flex flex-col gap-1">
      <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
      <p className="text-sm text-muted-foreground">Your organization, your role and your team at a glance.</p>
    </div>
  );
}
