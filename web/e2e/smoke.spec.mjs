// The first screens, in English and Italian, with an organization made over the API.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { OPERATOR, startStack } from './harness.mjs';

let stack;
test.beforeAll(async () => {
  stack = await startStack();
  const { organization, account, access_token } = await stack.api('/signup', {
    method: 'POST',
    body: { organization_name: 'Smoke Ltd', first_name: 'Ada', last_name: 'Lovelace', username: 'ada', password: 'Ada-pass-12345', external_email: 'ada@example.org' },
  });
  // Credit from the operator, then the owner's upgrade that lifts the caps.
  const operator = await stack.login(OPERATOR.username, OPERATOR.password);
  await stack.api(`/operator/organizations/${organization.id}/credit/adjustments`, {
    method: 'POST',
    token: operator,
    body: { amount_cents: 5000, memo: 'smoke test' },
  });
  await stack.api(`/accounts/${account.id}/subscription`, { method: 'PUT', token: access_token, body: { plan: 'pro' } });
});
test.afterAll(async () => stack?.stop());

test('sign in, add a user, switch to Italian', async ({ page }) => {
  await page.goto(`${stack.baseURL}/users`);
  // The deep link goes to sign-in first and comes back.
  await expect(page).toHaveURL(/\/sign-in\?next=\/users$/);
  await page.getByLabel('Username or email').fill('ada');
  await page.getByLabel('Password').fill('Ada-pass-12345');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await page.getByRole('link', { name: 'Add a user' }).click();
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await page.getByLabel('Username').fill('grace');
  await page.getByLabel('Password', { exact: true }).fill('Grace-pass-1234');
  await page.getByRole('button', { name: 'Add a user' }).click();
  await expect(page.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
  await page.getByLabel('Language').selectOption('it');
  await page.getByRole('link', { name: 'Utenti', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Utenti' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'grace', exact: true })).toBeVisible();
});

test('an expired session returns to sign-in, and back to the page', async ({ page }) => {
  // Tokens the server no longer accepts: the access token is refused, and so is the refresh.
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('postwarden.session', JSON.stringify({ access_token: 'expired', refresh_token: 'revoked' }));
    }
  });
  await page.goto(`${stack.baseURL}/domains`);
  await expect(page).toHaveURL(/\/sign-in\?next=\/domains$/);
  await page.getByLabel('Username or email').fill('ada');
  await page.getByLabel('Password').fill('Ada-pass-12345');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/domains$/);
  await expect(page.getByRole('heading', { name: 'Email domains' })).toBeVisible();
});

test('many calls refused at once share one refresh, and the session lives on', async ({ page }) => {
  // A live refresh token beside an access token the server refuses: the dashboard's panels all
  // get 401 together. Spending the refresh token more than once would end the session (the
  // server takes a reused refresh token for a stolen copy).
  const { refresh_token } = await stack.api('/auth/login', { method: 'POST', body: { login: 'ada', password: 'Ada-pass-12345' } });
  await page.addInitScript((token) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('postwarden.session', JSON.stringify({ access_token: 'expired', refresh_token: token }));
    }
  }, refresh_token);
  await page.goto(`${stack.baseURL}/dashboard`);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page).toHaveURL(/\/dashboard$/);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('postwarden.session')));
  expect(stored.refresh_token).not.toBe(refresh_token);
  // The rotated refresh token still works: the session was not revoked.
  await stack.api('/auth/refresh', { method: 'POST', body: { refresh_token: stored.refresh_token } });
});

test('every route loads from a deep link or a reload', async ({ page }) => {
  await page.goto(`${stack.baseURL}/sign-in`);
  await page.getByLabel('Username or email').fill('ada');
  await page.getByLabel('Password').fill('Ada-pass-12345');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  for (const [route, heading] of [
    ['/dashboard', 'Dashboard'],
    ['/users', 'Users'],
    ['/users/new', 'Add a user'],
    ['/groups', 'Groups'],
    ['/domains', 'Email domains'],
    ['/credit', 'Credit'],
    ['/audit', 'Audit log'],
    ['/api-keys', 'API keys'],
    ['/me', 'Your account'],
  ]) {
    await page.goto(`${stack.baseURL}${route}`);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  }
});

test('signing in works from the keyboard alone', async ({ page }) => {
  await page.goto(`${stack.baseURL}/sign-in`);
  // The first field has the focus; Tab goes to the next; Enter sends the form.
  await expect(page.getByLabel('Username or email')).toBeFocused();
  await page.keyboard.type('ada');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type('Ada-pass-12345');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // The navigation is reachable with Tab and opens with Enter.
  const users = page.getByRole('navigation').getByRole('link', { name: 'Users', exact: true });
  for (let i = 0; i < 10 && !(await users.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(users).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
});

test('a forgotten password is reset through the mailed link', async ({ page }) => {
  await page.goto(`${stack.baseURL}/sign-in`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  // Sign-in has a field of the same name: wait for the new page before typing.
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await page.getByLabel('Username or email').fill('ada');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'the link is on its way' })).toBeVisible();
  // Without an SMTP server the API writes its mails to data/outbox as .eml files.
  const outbox = path.join(stack.dataDir, 'outbox');
  let link;
  await expect(async () => {
    const mails = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'));
    const text = mails.join('\n').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    link = text.match(/\/reset-password\?token=[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();
  }).toPass();
  await page.goto(`${stack.baseURL}${link}`);
  // The mailed link opens on the new password, ready to type.
  await expect(page.getByLabel('New password')).toBeFocused();
  await page.getByLabel('New password').fill('Ada-new-pass-678');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.getByRole('link', { name: 'Sign in with the new password' }).click();
  await page.getByLabel('Username or email').fill('ada');
  await page.getByLabel('Password').fill('Ada-new-pass-678');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});
