// The operator's forms: creating an organization, adjusting its credit, editing a plan. Each
// shows this side's check beside its field as it is typed and the server's refusals in words.
import { expect, test } from '@playwright/test';
import { OPERATOR, startStack } from './harness.mjs';

let stack;
test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => stack?.stop());

const nav = (page, name) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

test('an operator creates an organization, adjusts its credit and edits a plan', async ({ page }) => {
  await page.goto(`${stack.baseURL}/sign-in`);
  await page.getByLabel('Username or email').fill(OPERATOR.username);
  await page.getByLabel('Password').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Organizations', level: 1 })).toBeVisible();

  // Create an organization; a username already in use is told beside the username.
  const create = page.getByRole('region', { name: 'Create an organization' });
  await create.getByLabel('Organization name').fill('Analytical Engines');
  await create.getByLabel('First name').fill('Charles');
  await create.getByLabel('Last name').fill('Babbage');
  await create.getByLabel('Username').fill(OPERATOR.username);
  await create.getByLabel('Password', { exact: true }).fill('Charles-pass-123');
  await create.getByRole('button', { name: 'Create an organization' }).click();
  await expect(create.getByText('This username is already used.')).toBeVisible();
  await create.getByLabel('Username').fill('charles');
  await create.getByRole('button', { name: 'Create an organization' }).click();
  await expect(page.getByText('Organization Analytical Engines created. Its owner signs in as charles.')).toBeVisible();
  await expect(create.getByLabel('Organization name')).toHaveValue('');
  await expect(page.getByRole('cell', { name: 'Analytical Engines', exact: true })).toBeVisible();

  // Adjust its credit: zero is refused here, going below zero by the server, then €12.50.
  await page.getByRole('button', { name: 'Adjust credit for Analytical Engines' }).click();
  const adjust = page.getByRole('group', { name: /Credit adjustment/ });
  await adjust.getByLabel('Amount').fill('0');
  await expect(adjust.getByText('Must not be zero.')).toBeVisible();
  await adjust.getByLabel('Amount').fill('-5');
  await adjust.getByLabel('Memo').fill('a test of the floor');
  await adjust.getByRole('button', { name: 'Adjust credit for Analytical Engines' }).click();
  await expect(adjust.getByRole('alert')).toContainText('The balance may not go below zero');
  await adjust.getByLabel('Amount').fill('12.50');
  await adjust.getByRole('button', { name: 'Adjust credit for Analytical Engines' }).click();
  await expect(page.getByText('Credit of Analytical Engines adjusted by €12.50: the balance is now €12.50.')).toBeVisible();

  // Edit a plan: a negative price is refused here; a new price is saved and shown.
  await nav(page, 'Plans');
  await page.getByRole('button', { name: 'Edit plan Entry' }).click();
  const plan = page.getByRole('region', { name: 'Edit plan Entry' });
  await plan.getByLabel('Monthly price').fill('-1');
  await expect(plan.getByText('Must not be negative.')).toBeVisible();
  await plan.getByLabel('Monthly price').fill('4.00');
  await plan.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Plan Entry saved.')).toBeVisible();
  await expect(page.getByRole('cell', { name: '€4.00' }).first()).toBeVisible();
});
