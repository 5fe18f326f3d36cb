import { expect, type Locator, type Page } from '@playwright/test';
import { E2E_EMULATOR_URL } from '../support/test-env';

/** An email the emulator "sent" (GET /_emulator/emails). */
export interface MailboxEmail {
  to: string;
  subject: string;
  links: string[];
  code: string | null;
  sentAt: string;
}

/** `emulatorUrl`: the e2e stack's emulator unless a spec runs a stack of its own (e2e/dev-restart.spec.ts). */
export async function mailbox(to: string, emulatorUrl = E2E_EMULATOR_URL): Promise<MailboxEmail[]> {
  const res = await fetch(`${emulatorUrl}/_emulator/emails?to=${encodeURIComponent(to)}`);
  return (await res.json()) as MailboxEmail[];
}

/**
 * The newest email matching `match` sent after `since` (ISO time). Polls briefly: the emulator
 * answers the form post before a spec can ask, but specs run in parallel.
 */
export async function waitForEmail(
  to: string,
  match: (e: MailboxEmail) => boolean,
  since = '',
  emulatorUrl = E2E_EMULATOR_URL,
): Promise<MailboxEmail> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = (await mailbox(to, emulatorUrl)).find((e) => match(e) && e.sentAt >= since);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching email for ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The emulator's hosted sign-in, sign-up, code, organization-picker, social and SSO pages. */
export class EmulatorPages {
  readonly emailInput: Locator;
  readonly continueButton: Locator;
  readonly codeInput: Locator;
  readonly verifyButton: Locator;
  readonly alert: Locator;
  readonly signupHeading: Locator;
  readonly pickerHeading: Locator;
  readonly ssoEmailInput: Locator;
  readonly ssoSignIn: Locator;

  /** `emulatorUrl`: whose mailbox holds the codes (the e2e stack's emulator by default). */
  constructor(
    readonly page: Page,
    readonly emulatorUrl = E2E_EMULATOR_URL,
  ) {
    this.emailInput = page.getByLabel('Email', { exact: true });
    this.continueButton = page.getByRole('button', { name: 'Continue', exact: true });
    this.codeInput = page.getByLabel('Verification code');
    this.verifyButton = page.getByRole('button', { name: 'Verify' });
    this.alert = page.getByRole('alert');
    this.signupHeading = page.getByRole('heading', { name: 'Create your account' });
    this.pickerHeading = page.getByRole('heading', { name: 'Choose an organization' });
    this.ssoEmailInput = page.getByLabel('Work email');
    this.ssoSignIn = page.getByRole('button', { name: 'Sign in', exact: true });
  }

  /** Email step (prefilled by login_hint when present) → one-time code from the mailbox → Verify. */
  async completeEmailCode(email: string): Promise<void> {
    await expect(this.emailInput).toBeVisible();
    if ((await this.emailInput.inputValue()) !== email) await this.emailInput.fill(email);
    const since = new Date(Date.now() - 1_000).toISOString();
    await this.continueButton.click();
    await expect(this.codeInput).toBeVisible();
    const sent = await waitForEmail(email, (e) => e.code !== null, since, this.emulatorUrl);
    await this.codeInput.fill(sent.code!);
    await this.verifyButton.click();
  }

  async continueAs(email: string): Promise<void> {
    await this.page.getByRole('button', { name: `Continue as ${email}` }).click();
  }

  async pickOrganization(name: string): Promise<void> {
    await expect(this.pickerHeading).toBeVisible();
    await this.page.getByRole('button', { name, exact: true }).click();
  }

  async signInAtIdp(email: string): Promise<void> {
    await expect(this.ssoEmailInput).toBeVisible();
    if ((await this.ssoEmailInput.inputValue()) !== email) await this.ssoEmailInput.fill(email);
    await this.ssoSignIn.click();
  }
}
