import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import DestinationsSection from './DestinationsSection.svelte';

beforeEach(() => locale.set('en'));

const ftp = { name: 'nightly', kind: 'ftp', url: 'ftp://exporter@files.acme.cn:2121/exports?tls=explicit', hasSecret: true };

describe('editing a destination', () => {
  it('opens the form prefilled, the password unchanged unless typed', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ ListDestinations: async () => [ftp], UpdateDestination: async (_n, input) => ({ ...ftp, name: input.name, url: input.url }) });
    await renderPage(DestinationsSection, api);
    await user.click(await screen.findByRole('button', { name: 'Edit nightly' }));
    const form = screen.getByRole('form', { name: 'Edit nightly' });
    expect(within(form).getByLabelText('Name')).toHaveValue('nightly');
    expect(within(form).getByLabelText('Server')).toHaveValue('files.acme.cn');
    expect(within(form).getByLabelText('Port')).toHaveValue('2121');
    expect(within(form).getByLabelText('User')).toHaveValue('exporter');
    expect(within(form).getByLabelText('Explicit TLS (FTPS)')).toBeChecked();
    const pw = within(form).getByLabelText('Password');
    expect(pw).toHaveValue('');
    expect(pw).toHaveAttribute('placeholder', 'unchanged — type to replace');

    // A new server, the password left alone: sent empty, so Go keeps it.
    await user.clear(within(form).getByLabelText('Server'));
    await user.type(within(form).getByLabelText('Server'), 'files2.acme.cn');
    await user.click(within(form).getByRole('button', { name: 'Save changes and test' }));
    expect(api.UpdateDestination).toHaveBeenCalledWith('nightly', { name: 'nightly', url: 'ftp://exporter@files2.acme.cn:2121/exports?tls=explicit', password: '' });
    expect(api.AddDestination).not.toHaveBeenCalled();
    await waitFor(() => expect(api.TestDestination).toHaveBeenCalledWith('nightly'));
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('sends a typed password and a new name; another kind asks for its own secret', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ ListDestinations: async () => [ftp] });
    await renderPage(DestinationsSection, api);
    await user.click(await screen.findByRole('button', { name: 'Edit nightly' }));
    const form = screen.getByRole('form', { name: 'Edit nightly' });
    await user.selectOptions(within(form).getByLabelText('Kind'), 'sftp');
    expect(within(form).getByLabelText('Password')).toHaveAttribute('placeholder', '');
    await user.selectOptions(within(form).getByLabelText('Kind'), 'ftp');
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'nightly-ftp');
    await user.type(within(form).getByLabelText('Password'), 'n3w pass');
    await user.click(within(form).getByRole('button', { name: 'Save changes and test' }));
    expect(api.UpdateDestination).toHaveBeenCalledWith('nightly', expect.objectContaining({ name: 'nightly-ftp', password: 'n3w pass' }));
  });

  it('shows Go’s refusal in the form and keeps it open', async () => {
    const user = userEvent.setup();
    const { AppError } = await import('$lib/api/errors');
    const api = createFakeApi({
      ListDestinations: async () => [ftp],
      UpdateDestination: async () => {
        throw new AppError('conflict', 'a destination named "backup" already exists');
      },
    });
    await renderPage(DestinationsSection, api);
    await user.click(await screen.findByRole('button', { name: 'Edit nightly' }));
    await user.click(screen.getByRole('button', { name: 'Save changes and test' }));
    expect(await screen.findByText(/already exists/)).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Edit nightly' })).toBeInTheDocument();
  });
});
