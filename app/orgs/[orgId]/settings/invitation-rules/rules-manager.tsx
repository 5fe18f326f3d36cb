'use client';

import { useId, useState, useTransition } from 'react';
import { ArrowDownIcon, ArrowUpIcon, Loader2Icon, PlusIcon, Trash2Icon } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { FormField } from '@/components/form-field';
import { AlertDialog, AlertDialogAction, AlertDialogTrigger } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { MAX_DAILY_LIMIT, RULE_KIND_LABELS, RULE_KINDS, type RuleKind } from '@/lib/invitation-rules/kind-labels';
import { addInvitationRuleAction, moveInvitationRuleAction, removeInvitationRuleAction, setInvitationRuleEnabledAction } from './actions';

export interface RuleRow {
  id: string;
  kind: RuleKind;
  description: string;
  enabled: boolean;
}

export interface RoleChoice {
  name: string;
  displayName: string;
}

const KIND_HELP: Record<RuleKind, string> = {
  REQUIRE_APPROVAL_OUTSIDE_DOMAINS: 'Invitations to other domains wait in Requests until an admin approves them.',
  REQUIRE_APPROVAL_FOR_ROLES: 'Invitations with these roles wait in Requests until an admin approves them.',
  DAILY_LIMIT_PER_INVITER: 'Each person, API key and the directory may send this many invitations in 24 hours; more are refused.',
  EXTERNAL_DOMAINS_ROLE: 'Invitations to other domains with any other role are refused.',
};

/**
 * The organization's invitation rules as sentences, in the order they are read, with on/off,
 * move up/down and remove; and a form to add one (the kind decides the fields). Every change is
 * a server action that checks org:settings again and validates the rule on the server.
 */
export function InvitationRulesManager({ orgId, rules, roles }: { orgId: string; rules: RuleRow[]; roles: RoleChoice[] }) {
  const ids = { kind: useId(), domains: useId(), limit: useId(), role: useId(), roles: useId() };
  const [kind, setKind] = useState<RuleKind>('REQUIRE_APPROVAL_OUTSIDE_DOMAINS');
  const [domains, setDomains] = useState('');
  const [limit, setLimit] = useState('20');
  const [role, setRole] = useState(roles.some((r) => r.name === 'member') ? 'member' : (roles[0]?.name ?? ''));
  const [chosenRoles, setChosenRoles] = useState<string[]>(roles.some((r) => r.name === 'admin') ? ['admin'] : []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [adding, startAdd] = useTransition();
  const [busy, startChange] = useTransition();

  function add(event: React.FormEvent) {
    event.preventDefault();
    setErrors({});
    const rule =
      kind === 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS'
        ? { kind, domains }
        : kind === 'REQUIRE_APPROVAL_FOR_ROLES'
          ? { kind, roles: chosenRoles }
          : kind === 'DAILY_LIMIT_PER_INVITER'
            ? { kind, limit }
            : { kind, domains, role };
    startAdd(async () => {
      const result = await addInvitationRuleAction(orgId, rule);
      if (result.ok) {
        toast.success(result.message);
        setDomains('');
        return;
      }
      setErrors(result.fieldErrors ?? { _: result.error });
      toast.error(result.error);
    });
  }

  function change(run: () => Promise<{ ok: true; message: string } | { ok: false; error: string }>) {
    startChange(async () => {
      const result = await run();
      if (result.ok) toast.success(result.message);
      else toast.error(result.error);
    });
  }

  const formError = errors._ ?? errors.kind;

  return (
    <div className="flex flex-col gap-6">
      {rules.length === 0 ? (
        <p className="rounded-lg border border-dashed p-4 text-sm text-muted-foreground" data-testid="invitation-rules-empty">
          No invitation rules: every invitation an admin (or an API key, or the directory) sends goes out at once.
        </p>
      ) : (
        <ol className="flex flex-col divide-y rounded-lg border" aria-label="Invitation rules, in the order they are read">
          {rules.map((rule, index) => (
            <li key={rule.id} className="flex flex-wrap items-center gap-3 p-3" data-testid="invitation-rule">
              <span className="w-6 text-sm tabular-nums text-muted-foreground">{index + 1}.</span>
              <span
                className={rule.enabled ? 'flex-1 text-sm' : 'flex-1 text-sm text-muted-foreground line-through'}
                data-testid="rule-sentence"
              >
                {rule.description}
              </span>
              <Badge variant={rule.enabled ? 'success' : 'secondary'}>{rule.enabled ? 'On' : 'Off'}</Badge>
              <div className="flex items-center gap-1">
                <Button
                  type="button"
                  size="icon"
                  variant="ghost"
                  aria-label={`Move rule ${index + 1} up`}
                  disabled={busy || index === 0}
                  onClick={() => change(() => moveInvitationRuleAction(orgId, rule.id, 'up'))}
                >
                  <ArrowUpIcon aria-hidden="true" />
                </Button>
                <Button
                  type="button"
                  size="icon"
                  variant="ghost"
                  aria-label={`Move rule ${index + 1} down`}
                  disabled={busy || index === rules.length - 1}
                  onClick={() => change(() => moveInvitationRuleAction(orgId, rule.id, 'down'))}
                >
                  <ArrowDownIcon aria-hidden="true" />
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  disabled={busy}
                  aria-label={`${rule.enabled ? 'Turn off' : 'Turn on'} rule ${index + 1}`}
                  onClick={() => change(() => setInvitationRuleEnabledAction(orgId, rule.id, !rule.enabled))}
                >
                  {rule.enabled ? 'Turn off' : 'Turn on'}
                </Button>
                <AlertDialog>
                  <AlertDialogTrigger asChild>
                    <Button type="button" size="icon" variant="ghost" aria-label={`Remove rule ${index + 1}`} disabled={busy}>
                      <Trash2Icon aria-hidden="true" />
                    </Button>
                  </AlertDialogTrigger>
                  <ConfirmDialogContent
                    title="Remove this rule?"
                    description={`"${rule.description}" will no longer apply to new invitations. Requests it already held stay in Requests.`}
                    confirm={
                      <AlertDialogAction onClick={() => change(() => removeInvitationRuleAction(orgId, rule.id))}>
                        Remove rule
                      </AlertDialogAction>
                    }
                  />
                </AlertDialog>
              </div>
            </li>
          ))}
        </ol>
      )}

      <form
        onSubmit={add}
        className="flex max-w-xl flex-col gap-4 rounded-lg border bg-card p-5"
        noValidate
        aria-label="Add an invitation rule"
      >
        <FormField id={ids.kind} label="New rule" help={KIND_HELP[kind]}>
          <NativeSelect value={kind} onChange={(e) => setKind(e.target.value as RuleKind)} className="max-w-md">
            {RULE_KINDS.map((k) => (
              <option key={k} value={k}>
                {RULE_KIND_LABELS[k]}
              </option>
            ))}
          </NativeSelect>
        </FormField>

        {kind === 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS' || kind === 'EXTERNAL_DOMAINS_ROLE' ? (
          <FormField
            id={ids.domains}
            label="Your domains"
            help="Comma-separated, e.g. acme.com, acme.io. Addresses at any other domain are “outside”."
            error={errors.domains}
          >
            <Input value={domains} onChange={(e) => setDomains(e.target.value)} placeholder="acme.com, acme.io" className="max-w-md" />
          </FormField>
        ) : null}

        {kind === 'EXTERNAL_DOMAINS_ROLE' ? (
          <FormField id={ids.role} label="Only role allowed for outside addresses" error={errors.role}>
            <NativeSelect value={role} onChange={(e) => setRole(e.target.value)} className="max-w-xs">
              {roles.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.displayName}
                </option>
              ))}
            </NativeSelect>
          </FormField>
        ) : null}

        {kind === 'REQUIRE_APPROVAL_FOR_ROLES' ? (
          <fieldset className="flex flex-col gap-2" aria-describedby={errors.roles ? `${ids.roles}-error` : undefined}>
            <legend className="mb-1 text-sm font-medium">Roles that need approval</legend>
            {roles.map((r) => (
              <label key={r.name} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={chosenRoles.includes(r.name)}
                  onChange={(e) =>
                    setChosenRoles((current) => (e.target.checked ? [...current, r.name] : current.filter((c) => c !== r.name)))
                  }
                />
                {r.displayName} <code className="font-mono text-xs text-muted-foreground">{r.name}</code>
              </label>
            ))}
            {errors.roles ? (
              <p id={`${ids.roles}-error`} className="text-xs text-destructive">
                {errors.roles}
              </p>
            ) : null}
          </fieldset>
        ) : null}

        {kind === 'DAILY_LIMIT_PER_INVITER' ? (
          <FormField
            id={ids.limit}
            label="Invitations per person per day"
            help={`1 to ${MAX_DAILY_LIMIT.toLocaleString('en-US')}.`}
            error={errors.limit}
          >
            <Input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="numeric" className="max-w-32" />
          </FormField>
        ) : null}

        {formError ? (
          <p role="alert" className="text-sm text-destructive">
            {formError}
          </p>
        ) : null}
        <div>
          <Button type="submit" disabled={adding}>
            {adding ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <PlusIcon aria-hidden="true" />}
            Add rule
          </Button>
        </div>
      </form>
    </div>
  );
}
