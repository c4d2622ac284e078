import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '$lib/api';
import { locale } from '$lib/i18n';
import { createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import ConnectionsPage from './ConnectionsPage.svelte';

beforeEach(() => locale.set('en'));

describe('ConnectionsPage', () => {
  it('lists connections: the sandbox built in and not removable, stored passwords marked', async () => {
    await renderPage(ConnectionsPage);
    const rows = screen.getAllByRole('row');
    const sandbox = rows.find((r) => within(r).queryByText('sandbox'))!;
    expect(within(sandbox).getByText('Built-in')).toBeInTheDocument();
    expect(within(sandbox).queryByRole('button', { name: /remove/i })).toBeNull();
    const acme = rows.find((r) => within(r).queryByText('acme'))!;
    expect(within(acme).getByText('Password stored')).toBeInTheDocument();
    expect(within(acme).getByText('loader@db.acme.local:5432/crm')).toBeInTheDocument();
    expect(within(acme).getByRole('button', { name: 'Remove acme' })).toBeInTheDocument();
  });

  it('validates the add form before sending anything', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(ConnectionsPage);
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    expect(screen.getByText('Enter a name.')).toBeInTheDocument();
    expect(screen.getByText('Enter the PostgreSQL URL.')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');

    await user.type(screen.getByLabelText('Name'), 'acme');
    await user.type(screen.getByLabelText('URL'), 'mysql://x/db');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    expect(screen.getByText('A connection with this name already exists.')).toBeInTheDocument();
    expect(screen.getByText('The URL must start with postgres:// or postgresql://.')).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Separate fields' }));
    await user.clear(screen.getByLabelText('Port'));
    await user.type(screen.getByLabelText('Port'), '99999');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    expect(screen.getByText('The port is a number from 1 to 65535.')).toBeInTheDocument();
    expect(screen.getByText('Enter the database name.')).toBeInTheDocument();
    expect(api.AddConnection).not.toHaveBeenCalled();
  });

  it('adds a connection from separate fields and lists it', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(ConnectionsPage);
    await user.type(screen.getByLabelText('Name'), 'testpg');
    await user.click(screen.getByRole('radio', { name: 'Separate fields' }));
    await user.type(screen.getByLabelText('Database'), 'crm_e2e');
    await user.type(screen.getByLabelText('Password'), 's3cret');
    await user.selectOptions(screen.getByLabelText('SSL mode'), 'require');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await screen.findByText('Connection “testpg” added. Test it to check the login.');
    expect(api.AddConnection).toHaveBeenCalledWith({
      name: 'testpg', dsn: '', host: '127.0.0.1', port: 5432, database: 'crm_e2e', user: 'postgres',
      password: 's3cret', schema: 'crm', sslMode: 'require', zone: '',
    });
    expect(screen.getByRole('button', { name: 'Test testpg' })).toBeInTheDocument();
  });

  it('shows a server-side add error in plain words with its code', async () => {
    const user = userEvent.setup();
    await renderPage(
      ConnectionsPage,
      createFakeApi({ AddConnection: () => Promise.reject(new AppError('invalid', 'cannot parse the URL: missing host')) }),
    );
    await user.type(screen.getByLabelText('Name'), 'x');
    await user.type(screen.getByLabelText('URL'), 'postgres://:5432');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    const alert = await screen.findByText(/cannot parse the URL: missing host/);
    expect(alert).toHaveTextContent('(code: invalid)');
  });

  it('shows a successful test with version, object count and time', async () => {
    const user = userEvent.setup();
    await renderPage(ConnectionsPage);
    await user.click(screen.getByRole('button', { name: 'Test acme' }));
    const result = await screen.findByRole('status', { name: 'Test result for acme' });
    expect(result).toHaveTextContent('Connected: PostgreSQL 15.8, 5 objects, 12 ms.');
  });

  it.each([
    ['a rejected call', () => Promise.reject('{"code":"auth_failed","message":"password authentication failed for user \\"loader\\""}')],
    [
      'a result with ok=false',
      async () => ({ ok: false, code: 'auth_failed', message: 'password authentication failed for user "loader"', serverVersion: '', objects: 0, millis: 3 }),
    ],
  ])('shows an auth_failed test from %s as a clear error', async (_n, TestConnection) => {
    const user = userEvent.setup();
    await renderPage(ConnectionsPage, createFakeApi({ TestConnection }));
    await user.click(screen.getByRole('button', { name: 'Test acme' }));
    const alert = await screen.findByRole('alert', { name: 'Test result for acme' });
    expect(alert).toHaveTextContent('Test failed: The database refused the user name or password.');
    expect(alert).toHaveTextContent('password authentication failed for user "loader"');
    expect(alert).toHaveTextContent('(code: auth_failed)');
  });

  it('removes only after the confirmation', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(ConnectionsPage);
    await user.click(screen.getByRole('button', { name: 'Remove acme' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveTextContent('Remove the connection “acme”');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.RemoveConnection).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Remove acme' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yes, remove' }));
    await screen.findByText('Connection “acme” removed.');
    expect(api.RemoveConnection).toHaveBeenCalledWith('acme');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Test acme' })).toBeNull());
  });

  it('makes a sandbox copy of a PostgreSQL connection as a job, with a file-safe name', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(ConnectionsPage);
    const rows = screen.getAllByRole('row');
    const sandbox = rows.find((r) => within(r).queryByText('sandbox'))!;
    expect(within(sandbox).queryByRole('button', { name: /sandbox copy/i })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Make a sandbox copy of acme' }));
    const form = screen.getByRole('form', { name: 'Make a sandbox copy of acme' });
    const name = within(form).getByLabelText('Name of the copy');
    expect(name).toHaveValue('acme-copy');
    await user.clear(name);
    await user.type(name, 'bad name!');
    expect(within(form).getByText('Letters, digits, - and _ only (it becomes a file name).')).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Make the copy' })).toBeDisabled();
    await user.clear(name);
    await user.type(name, 'acme-rehearsal');
    await user.selectOptions(within(form).getByLabelText('Records'), 'none');
    await user.click(within(form).getByRole('button', { name: 'Make the copy' }));
    expect(api.CopyToSandbox).toHaveBeenCalledWith('acme', 'acme-rehearsal', 'none');
    const done = await screen.findByText(/Copying into the sandbox copy acme-rehearsal/);
    expect(within(done).getByRole('link', { name: 'Follow the job' })).toHaveAttribute('href', '#/jobs/job-copy-acme-rehearsal');
  });

  it('shows why a sandbox copy was refused', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(ConnectionsPage);
    api.CopyToSandbox.mockRejectedValueOnce(new AppError('conflict', 'a sandbox copy named acme-copy exists already: choose another name'));
    await user.click(screen.getByRole('button', { name: 'Make a sandbox copy of acme' }));
    await user.click(screen.getByRole('button', { name: 'Make the copy' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('exists already');
  });
});

