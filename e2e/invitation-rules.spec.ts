import { expect, test } from '@playwright/test';
import { freshOrganization, inAppDatabase, InviteDialog, signIn, toast } from './pages/invitations';
import { InvitationRulesSection } from './pages/invitation-rules-page';
import { TeamPage } from './pages/team-page';
import { seriousViolations } from './support/axe';

/**
 * Invitation rules end to end, in an organization of the spec's own: an admin adds a rule in
 * Settings, reads it back as a sentence, and an invitation from the team page's form that the
 * rule holds says so with the same sentence; nothing is sent, a request waits instead.
 */

const SENTENCE = "Invitations to addresses outside acme.test need an admin's approval";

test('an admin adds a rule in settings, sees it as a sentence, and an invite from the form is held with that sentence', async ({
  page,
}) => {
  // Two settings round trips, an axe sweep and an invite: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/settings`);
  const rules = new InvitationRulesSection(page);
  await expect(rules.empty).toBeVisible();

  // A bad value is refused on the server with the field at fault.
  await rules.addDailyLimit('0');
  await expect(rules.limit).toHaveAttribute('aria-invalid', 'true');
  await expect(rules.region.getByText('Enter a whole number from 1 to 10,000.')).toBeVisible();

  await rules.addOutsideDomains('Acme.test');
  await expect(toast(page, `Rule added: ${SENTENCE}.`)).toBeVisible();
  await expect(rules.sentences).toHaveText([SENTENCE]);
  await rules.addDailyLimit('25');
  await expect(rules.sentences).toHaveText([SENTENCE, 'Each person can send at most 25 invitations a day']);
  await rules.rule(2).getByRole('button', { name: 'Move rule 2 up' }).click();
  await expect(rules.sentences).toHaveText(['Each person can send at most 25 invitations a day', SENTENCE]);
  expect(await seriousViolations(page)).toEqual([]);

  const team = new TeamPage(page);
  await team.goto(orgId);
  const form = new InviteDialog(page);
  const outsider = `outsider-${tag}@globex.test`;
  await form.invite(outsider);
  const held = form.dialog.getByTestId('invite-held');
  await expect(held).toContainText(`Held for approval: ${SENTENCE}. An admin will review it in Requests.`);
  await expect(team.row(outsider)).toHaveCount(0);
  expect(
    await inAppDatabase(
      `SELECT 1 FROM "InvitationRequest" WHERE "organizationId" = $1 AND email = $2 AND status = 'PENDING' AND "ruleId" IS NOT NULL`,
      [orgId, outsider],
    ),
  ).toBe(1);

  // An address inside the domains goes out at once.
  const insider = `colleague-${tag}@acme.test`;
  await form.invite(insider);
  await expect(toast(page, `Invitation sent to ${insider}.`)).toBeVisible();

  // Removing the rule: the list says so.
  await rules.goto(orgId);
  await rules.remove(2);
  await expect(toast(page, `Rule removed: ${SENTENCE}.`)).toBeVisible();
  await expect(rules.sentences).toHaveText(['Each person can send at most 25 invitations a day']);
});
