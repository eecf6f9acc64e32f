// The administration guide, end to end in the browser: sign up → a top-up confirmed by the
// operator → upgrade → a domain verified over DNS → users with aliases → a group → a changed
// subscription → disable → delete; then a user edits their own data; then Italian.
// With POSTWARDEN_SCREENSHOTS=<dir>, the main screens are saved there (docs/screenshots).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { OPERATOR, startStack } from './harness.mjs';

const SHOTS = process.env.POSTWARDEN_SCREENSHOTS;
const DOMAIN = 'lovelace-e2e.test';
const OWNER = { username: 'ada', password: 'Ada-pass-12345' };

let stack;
test.beforeAll(async () => {
  stack = await startStack();
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => stack?.stop());

async function shot(page, name) {
  if (!SHOTS) return;
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page, username, password) {
  await page.goto(`${stack.baseURL}/sign-in`);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The admin's navigation. */
const nav = (page, name) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

test.describe.configure({ mode: 'serial' });

test('an administrator runs an organization from the browser', async ({ page, browser }) => {
  // Sign up.
  await page.goto(`${stack.baseURL}/sign-in`);
  await shot(page, 'sign-in');
  await page.getByRole('link', { name: 'Create an organization' }).click();
  await page.getByLabel('Organization name').fill('Analytical Engines');
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  // A username already in use is told beside the username, and the rest of the form is kept.
  await page.getByLabel('Username').fill(OPERATOR.username);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Create the organization' }).click();
  await expect(page.getByText('This username is already used.')).toBeVisible();
  await expect(page.getByLabel('Organization name')).toHaveValue('Analytical Engines');
  await page.getByLabel('Username').fill(OWNER.username);
  await expect(page.getByText('This username is already used.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Create the organization' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // Request a top-up; the operator confirms it in their own browser session.
  await nav(page, 'Credit');
  await page.getByLabel('Amount').fill('100.00');
  await page.getByRole('button', { name: 'Request a top-up' }).click();
  await expect(page.getByRole('cell', { name: 'Pending' })).toBeVisible();
  const operatorContext = await browser.newContext();
  const operatorPage = await operatorContext.newPage();
  await signIn(operatorPage, OPERATOR.username, OPERATOR.password);
  await nav(operatorPage, 'Top-ups');
  await operatorPage.getByRole('button', { name: /Confirm top-up of €100\.00/ }).click();
  await expect(operatorPage.getByRole('cell', { name: 'Credited' })).toBeVisible();
  await shot(operatorPage, 'operator-top-ups');
  await nav(operatorPage, 'Organizations');
  const row = operatorPage.getByRole('row').filter({ hasText: 'Analytical Engines' });
  await expect(row.getByRole('cell', { name: OWNER.username, exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: '€100.00' })).toBeVisible();
  await operatorContext.close();
  await page.reload();
  await expect(page.getByText('€100.00').first()).toBeVisible();
  await shot(page, 'credit');

  // Upgrade the owner to pro: the quote first, then the change.
  await nav(page, 'Users');
  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  const subscription = page.getByRole('region', { name: 'Change subscription' });
  await subscription.getByLabel('Plan').selectOption('pro');
  // The quote: nothing to refund on free, a month of pro charged, what the credit becomes.
  await expect(subscription.getByRole('definition').filter({ hasText: '€92.50' })).toBeVisible();
  await subscription.getByRole('button', { name: 'Change subscription' }).click();
  await expect(page.getByRole('definition').filter({ hasText: /^Pro$/ })).toBeVisible();

  // A domain, verified over DNS with the record the page shows.
  await nav(page, 'Email domains');
  await page.getByLabel('Domain name').fill(DOMAIN);
  await page.getByRole('button', { name: 'Add a domain' }).click();
  await expect(page.getByRole('heading', { name: DOMAIN })).toBeVisible();
  // What the admin would copy into their DNS zone: the definitions beside the copy buttons.
  const copied = (button) =>
    page.getByRole('definition').filter({ has: page.getByRole('button', { name: button }) }).locator('code');
  const host = (await copied('Copy the verification host').textContent()).trim();
  const value = (await copied('Copy the verification value').textContent()).trim();
  stack.dns.set(host, 'TXT', [value]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Verified').first()).toBeVisible();
  // The records are checked at once: the TXT record is there, the MX records not yet.
  const records = page.getByRole('table');
  await expect(records.getByRole('row').filter({ hasText: 'Verification' }).getByText('OK').first()).toBeVisible();
  await expect(records.getByRole('row').filter({ hasText: 'mx1.' }).getByText('Missing').first()).toBeVisible();
  await shot(page, 'domain');

  // Users on the domain, with aliases.
  await nav(page, 'Users');
  for (const [first, last, username, plan] of [
    ['Grace', 'Hopper', 'grace', 'entry'],
    ['Alan', 'Turing', 'alan', 'free'],
  ]) {
    await page.getByRole('link', { name: 'Add a user' }).click();
    await page.getByLabel('First name').fill(first);
    await page.getByLabel('Last name').fill(last);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Domain').selectOption(DOMAIN);
    await page.getByLabel('Password', { exact: true }).fill(`${first}-pass-12345`);
    await page.getByLabel('Plan').selectOption(plan);
    await page.getByRole('button', { name: 'Add a user' }).click();
    await expect(page.getByRole('heading', { name: new RegExp(`${first} ${last}`) })).toBeVisible();
    await nav(page, 'Users');
  }
  await page.getByRole('link', { name: 'Grace Hopper' }).click();
  const aliases = page.getByRole('region', { name: 'Aliases' });
  await aliases.getByLabel('Alias', { exact: true }).fill(`amazing.grace@${DOMAIN}`);
  await aliases.getByRole('button', { name: 'Add an alias' }).click();
  await expect(aliases.getByRole('button', { name: `Delete alias amazing.grace@${DOMAIN}` })).toBeVisible();
  await expect(aliases.getByText('1 / 10')).toBeVisible();
  await shot(page, 'user');

  // A group with both users.
  await nav(page, 'Groups');
  await page.getByLabel('Name').fill('Pioneers');
  await page.getByLabel('Group address').fill(`pioneers@${DOMAIN}`);
  await page.getByRole('button', { name: 'Create a group' }).click();
  await expect(page.getByRole('heading', { name: 'Pioneers' })).toBeVisible();
  for (const username of ['grace', 'alan']) {
    await page.getByLabel('Find a user').fill(username);
    await page.getByRole('button', { name: `Add ${username} to the group` }).click();
    await expect(page.getByRole('button', { name: `Remove ${username} from the group` })).toBeVisible();
  }
  // Rename and describe it: only what changed is sent.
  await page.getByLabel('Description').fill('The first programmers');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Description')).toHaveValue('The first programmers');
  await shot(page, 'group');

  // Change Alan's subscription, then disable and delete him.
  await nav(page, 'Users');
  await shot(page, 'users');
  await page.getByRole('link', { name: 'Alan Turing' }).click();
  const alanSubscription = page.getByRole('region', { name: 'Change subscription' });
  await alanSubscription.getByLabel('Plan').selectOption('entry');
  await expect(alanSubscription.getByRole('definition').filter({ hasText: '€3.50' }).first()).toBeVisible();
  await alanSubscription.getByRole('button', { name: 'Change subscription' }).click();
  await expect(page.getByRole('definition').filter({ hasText: /^Entry$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('button', { name: 'Enable account' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete account' }).click();
  await expect(page.getByText(/cannot be undone/i)).toBeVisible();
  await page.getByRole('button', { name: 'Yes, delete the account' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Alan Turing' })).toHaveCount(0);

  // The ledger names each entry's account: Grace's charge by her username (a link to her page),
  // Alan's entries, now that he is deleted, by the start of his id.
  await nav(page, 'Credit');
  const ledger = page.getByRole('table', { name: 'Transactions' });
  await expect(ledger.getByRole('link', { name: 'grace', exact: true }).first()).toBeVisible();
  await expect(ledger.getByRole('cell', { name: /\(deleted account\)/ }).first()).toBeVisible();

  await nav(page, 'Dashboard');
  await shot(page, 'dashboard');
  await nav(page, 'Audit log');
  await expect(page.getByRole('cell', { name: /account\.deleted|account_deleted/ }).first()).toBeVisible();
});

test('a user edits their own data, in Italian', async ({ page }) => {
  await signIn(page, `grace@${DOMAIN}`, 'Grace-pass-12345');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await page.getByLabel('Mobile phone').fill('+39 06 1234567');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();
  // A new external email (where reset links go) asks for the current password, and a wrong
  // one is named beside its field.
  await expect(page.getByLabel('Your current password')).toHaveCount(0);
  await page.getByLabel('External email').fill('grace.hopper@example.org');
  await page.getByLabel('Your current password').fill('Not-my-password-1');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByText('is not the current password')).toBeVisible();
  await page.getByLabel('Your current password').fill('Grace-pass-12345');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();
  await expect(page.getByLabel('Your current password')).toHaveCount(0);
  await page.getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Il tuo account' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Cellulare')).toHaveValue('+39061234567');
  await shot(page, 'me-italian');
});
