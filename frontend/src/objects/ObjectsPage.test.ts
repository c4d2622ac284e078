import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import ObjectsPage from './ObjectsPage.svelte';

beforeEach(() => locale.set('en'));

describe('ObjectsPage', () => {
  it('lists the objects of the selected connection', async () => {
    const { api } = await renderPage(ObjectsPage);
    const table = await screen.findByRole('table', { name: 'Objects' });
    for (const name of ['Account', 'Contact', 'Product', 'Opportunity', 'OpportunityLine']) {
      expect(within(table).getByRole('button', { name: `Show fields of ${name}` })).toBeInTheDocument();
    }
    expect(within(table).getAllByText('CRM catalog')).toHaveLength(5);
    expect(api.ListObjects).toHaveBeenCalledWith('sandbox');
  });

  it('shows the fields of the selected object with marks, sizes, options and targets', async () => {
    const user = userEvent.setup();
    await renderPage(ObjectsPage);
    await user.click(await screen.findByRole('button', { name: 'Show fields of Account' }));
    const fields = await screen.findByRole('table', { name: 'Fields of Account (Account)' });
    const row = (api: string) => within(fields).getByText(api).closest('tr')!;
    expect(within(row('name')).getByText('Required')).toBeInTheDocument();
    expect(within(row('name')).getByText('Primary')).toBeInTheDocument();
    expect(within(row('name')).getByText('max 255')).toBeInTheDocument();
    expect(within(row('account_no')).getByText('Unique')).toBeInTheDocument();
    expect(within(row('industry')).getByText('Picklist')).toBeInTheDocument();
    expect(within(row('industry')).getByText('Technology')).toBeInTheDocument();
    expect(within(row('annual_revenue')).getByText('18, 2 decimals')).toBeInTheDocument();
    expect(within(row('parent_account_id')).getByText('→ Account')).toBeInTheDocument();
    expect(within(row('owner_id')).getByText('System')).toBeInTheDocument();
  });

  it('filters objects and fields', async () => {
    const user = userEvent.setup();
    await renderPage(ObjectsPage);
    await screen.findByRole('table', { name: 'Objects' });
    await user.type(screen.getByLabelText('Filter objects'), 'opp');
    expect(screen.getByText('2 of 5 objects')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show fields of Account' })).toBeNull();
    await user.clear(screen.getByLabelText('Filter objects'));
    await user.type(screen.getByLabelText('Filter objects'), 'nothing-like-this');
    expect(screen.getByText('No object matches “nothing-like-this”.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Filter objects'));
    await user.click(screen.getByRole('button', { name: 'Show fields of Account' }));
    await screen.findByRole('table', { name: /Fields of Account/ });
    await user.type(screen.getByLabelText('Filter fields'), 'indus');
    const fields = screen.getByRole('table', { name: /Fields of Account/ });
    expect(within(fields).getAllByRole('row')).toHaveLength(2);
    expect(within(fields).getByText('industry')).toBeInTheDocument();
  });

  it('shows labels in Chinese and a load error in plain words', async () => {
    locale.set('zh');
    await renderPage(ObjectsPage);
    expect(await screen.findByText('客户')).toBeInTheDocument();
    locale.set('en');
  });

  it('shows why the objects could not be read', async () => {
    await renderPage(
      ObjectsPage,
      createFakeApi({ ListObjects: () => Promise.reject('{"code":"unavailable","message":"dial tcp 10.0.0.9:5432: connection refused"}') }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not read the objects: The server cannot be reached.');
    expect(alert).toHaveTextContent('(code: unavailable)');
  });
});
