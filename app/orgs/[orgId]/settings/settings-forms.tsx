'use client';

import { useActionState, useState } from 'react';
import { Trash2Icon, UploadIcon } from 'lucide-react';
import { ActionFormFooter, RefreshActionForm, useToastOutcome } from '@/components/action-form';
import { FormField } from '@/components/form-field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { OrgLogo } from '@/components/org-logo';
import { LOGO_ACCEPT, logoTooLargeMessage, MAX_LOGO_BYTES } from '@/lib/organizations/logo-limits';
import { removeLogoAction, renameOrganizationAction, resyncAction, updateSettingsAction, uploadLogoAction } from './actions';

export function SettingsForm({
  orgId,
  maxAllowedUsers,
  allowedEmailDomains,
  membersMayRequest,
}: {
  orgId: string;
  maxAllowedUsers: number | null;
  allowedEmailDomains: string[];
  membersMayRequest: boolean;
}) {
  const [state, action, pending] = useActionState(updateSettingsAction, null);
  useToastOutcome(state);
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="flex max-w-xl flex-col gap-5" aria-label="Organization settings">
      <input type="hidden" name="orgId" value={orgId} />
      <FormField
        id="maxAllowedUsers"
        label="Seat limit"
        help="Members plus pending invitations. Scalekit refuses new invitations beyond it. Leave empty for no limit."
        error={fieldErrors.maxAllowedUsers}
      >
        <Input
          name="maxAllowedUsers"
          inputMode="numeric"
          pattern="[0-9]*"
          defaultValue={maxAllowedUsers ?? ''}
          placeholder="No limit"
          className="max-w-40"
        />
      </FormField>
      <FormField
        id="allowedEmailDomains"
        label="Allowed email domains"
        help="One per line (or comma-separated), e.g. acme.com. Invitations to other domains are refused. Empty allows any domain."
        error={fieldErrors.allowedEmailDomains}
      >
        <textarea
          name="allowedEmailDomains"
          rows={3}
          defaultValue={allowedEmailDomains.join('\n')}
          placeholder="Any domain"
          className="rounded-md border border-input bg-card px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        />
      </FormField>
      <div className="flex items-start gap-2">
        <input
          id="membersMayRequest"
          name="membersMayRequest"
          type="checkbox"
          defaultChecked={membersMayRequest}
          aria-describedby="membersMayRequest-help"
          className="mt-1 size-4 accent-primary"
        />
        <div className="flex flex-col gap-1">
          <label htmlFor="membersMayRequest" className="text-sm font-medium">
            Members can request invitations
          </label>
          <p id="membersMayRequest-help" className="text-sm text-muted-foreground">
            Members who cannot invite may ask for someone to be invited. Admins approve or deny each request on the Requests page.
          </p>
        </div>
      </div>
      <ActionFormFooter state={state} pending={pending} label="Save settings" />
    </form>
  );
}

export function ResyncForm({ orgId }: { orgId: string }) {
  return <RefreshActionForm orgId={orgId} action={resyncAction} label="Re-sync from Scalekit" pendingLabel="Re-syncing…" />;
}

/** The organization's name, as Scalekit and every page show it. */
export function OrganizationNameForm({ orgId, name }: { orgId: string; name: string }) {
  const [state, action, pending] = useActionState(renameOrganizationAction, null);
  useToastOutcome(state);
  const error = state && !state.ok ? (state.fieldErrors?.name ?? state.error) : undefined;
  return (
    <form action={action} className="flex max-w-xl flex-col gap-3" aria-label="Organization name">
      <input type="hidden" name="orgId" value={orgId} />
      <FormField id="organizationName" label="Name" help="Shown to your members, in invitations and on the sign-in pages." error={error}>
        <Input name="name" defaultValue={name} maxLength={200} required autoComplete="organization" />
      </FormField>
      <ActionFormFooter state={state} pending={pending} label="Save name" />
    </form>
  );
}

/**
 * Upload or remove the logo. The size is checked here first, so a large file is never sent; the
 * server checks the size again and decides the type by the file's bytes.
 */
export function LogoForm({ orgId, orgName, logoUrl }: { orgId: string; orgName: string; logoUrl: string | null }) {
  const [state, action, pending] = useActionState(uploadLogoAction, null);
  const [removeState, removeAction, removing] = useActionState(removeLogoAction, null);
  const [localError, setLocalError] = useState<string | null>(null);
  useToastOutcome(state);
  useToastOutcome(removeState);
  const error = localError ?? (state && !state.ok ? (state.fieldErrors?.logo ?? state.error) : undefined);
  return (
    <div className="flex max-w-xl flex-col gap-4">
      <div className="flex items-center gap-4">
        <div className="flex size-16 items-center justify-center rounded-md border bg-card" data-testid="logo-preview">
          {logoUrl ? (
            <OrgLogo src={logoUrl} alt={`${orgName} logo`} className="size-14" />
          ) : (
            <span className="text-xs text-muted-foreground">No logo</span>
          )}
        </div>
        {logoUrl ? (
          <form action={removeAction}>
            <input type="hidden" name="orgId" value={orgId} />
            <Button type="submit" variant="outline" size="sm" disabled={removing}>
              <Trash2Icon aria-hidden="true" />
              {removing ? 'Removing…' : 'Remove logo'}
            </Button>
          </form>
        ) : null}
      </div>
      <form
        action={action}
        className="flex flex-col gap-3"
        aria-label="Upload a logo"
        onSubmit={(event) => {
          const file = new FormData(event.currentTarget).get('logo');
          setLocalError(null);
          if (file instanceof File && file.size > MAX_LOGO_BYTES) {
            event.preventDefault();
            setLocalError(logoTooLargeMessage(file.size));
          }
        }}
      >
        <input type="hidden" name="orgId" value={orgId} />
        <FormField
          id="logo"
          label="Logo"
          help="A PNG, JPEG or WebP image of at most 1 MB, ideally square. SVG is not accepted."
          error={error}
        >
          <Input name="logo" type="file" accept={LOGO_ACCEPT} required className="max-w-sm" />
        </FormField>
        <div>
          <Button type="submit" variant="outline" disabled={pending}>
            <UploadIcon aria-hidden="true" />
            {pending ? 'Uploading…' : 'Upload logo'}
          </Button>
        </div>
      </form>
    </div>
  );
}
