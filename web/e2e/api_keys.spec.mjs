// API keys in the browser: an administrator creates a key with two scopes, sees its secret
// once, the key works against the API within its scopes, and once revoked (after a
// confirmation) it is refused; the page in Italian.
import { expect, test } from '@playwright/test';
import { startStack } from './harness.mjs';

let stack;
test.beforeAll(async () => {
  stack = await startStack();
  await stack.api('/signup', {
    method: 'POST',
    body: { organization_name: 'Keys Ltd', first_name: 'Kay', last_name: 'Ring', username: 'kay', password: 'Kay-pass-12345' },
  });
});
test.afterAll(async () => stack?.stop());

/** What the API answers to `GET path` with `secret` as the bearer token. */
async function statusWith(secret, path) {
  const response = await fetch(`${stack.baseURL}/api/v1${path}`, { headers: { authorization: `Bearer ${secret}` } });
  return response.status;
}

test('an administrator creates a key, copies its secret once and revokes it', async ({ page }) => {
  await page.goto(`${stack.baseURL}/sign-in`);
  await page.getByLabel('Username or email').fill('kay');
  await page.getByLabel('Password').fill('Kay-pass-12345');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'API keys', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await expect(page.getByText('No API keys yet.')).toBeVisible();

  // Without a scope the form says so and sends nothing.
  await page.getByLabel('Name', { exact: true }).fill('HR sync');
  await page.getByRole('button', { name: 'Create a key' }).click();
  await expect(page.getByText('Choose at least one scope.')).toBeVisible();

  await page.getByLabel(/^accounts:read/).check();
  await page.getByLabel(/^groups:read/).check();
  await page.getByRole('button', { name: 'Create a key' }).click();
  await expect(page.getByRole('heading', { name: /The key “HR sync” is ready/ })).toBeVisible();
  const secret = (await page.getByTestId('api-key-secret').textContent()).trim();
  expect(secret).toMatch(/^pwk_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole('button', { name: 'Copy the secret' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'HR sync' });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText('accounts:read, groups:read');
  await expect(row).toContainText('Not used yet');

  // The key works within its scopes only.
  expect(await statusWith(secret, '/accounts')).toBe(200);
  expect(await statusWith(secret, '/domains')).toBe(403);

  // A reload shows the use, and never the secret again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await expect(page.getByTestId('api-key-secret')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: 'HR sync' })).toContainText('127.0.0.1');

  // Revoke, after a confirmation: refused at once.
  await page.getByRole('button', { name: 'Revoke…' }).click();
  await expect(page.getByText('Revoke the key “HR sync”?')).toBeVisible();
  await page.getByRole('button', { name: 'Yes, revoke it' }).click();
  await expect(page.getByText('No API keys yet.')).toBeVisible();
  expect(await statusWith(secret, '/accounts')).toBe(401);

  // In Italian.
  await page.getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Chiavi API', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Crea una chiave' })).toBeVisible();
  await page.getByLabel('Lingua').selectOption('en');
});
