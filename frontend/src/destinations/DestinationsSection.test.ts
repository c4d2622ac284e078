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

const box = { name: 'box', kind: 'sftp', url: 'sftp://exporter@sftp.acme.cn/exports', hasSecret: true, hostKey: 'SHA256:oldKey' };
const changed = "the host key of sftp.acme.cn:22 changed: it was SHA256:oldKey and is now SHA256:newKey — if the server was reinstalled, accept the new key: open the destination's Edit on the Destinations page to see and accept it, or on the command line remove the destination and add it again with --accept-host-key; otherwise someone may be intercepting the connection";

describe('a test that fails', () => {
  it('says what the problem code means, then Go’s detail capitalised', async () => {
    const user = userEvent.setup();
    const { AppError } = await import('$lib/api/errors');
    const api = createFakeApi({
      ListDestinations: async () => [ftp],
      TestDestination: async () => {
        throw new AppError('unavailable', 'cannot connect to files.acme.cn:2121: connection refused');
      },
    });
    await renderPage(DestinationsSection, api);
    await user.click(await screen.findByRole('button', { name: 'Test' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The server cannot be reached. Cannot connect to files.acme.cn:2121: connection refused (code: unavailable)',
    );
    locale.set('zh');
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/^无法连接到服务器。 Cannot connect/));
  });

  it('offers to show and accept a changed SFTP host key, accepting that key only', async () => {
    const user = userEvent.setup();
    const { AppError } = await import('$lib/api/errors');
    let fails = true;
    const api = createFakeApi({
      ListDestinations: async () => [box],
      TestDestination: async () => {
        if (fails) throw new AppError('conflict', changed);
        return null;
      },
      UpdateDestination: async (_n, input) => {
        fails = false;
        return { ...box, hostKey: input.acceptFingerprint ?? '' };
      },
    });
    await renderPage(DestinationsSection, api);
    await user.click(await screen.findByRole('button', { name: 'Test' }));
    // Its own plain words, not the generic "conflicts" of the code.
    expect(await screen.findByText(/different host key \(SHA256:newKey\) from the one accepted before/)).toBeInTheDocument();
    expect(screen.queryByText(/conflicts with something/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show and accept the new key' }));
    const form = screen.getByRole('form', { name: 'Edit box' });
    expect(within(form).getByText(/key changed since you accepted it/)).toBeInTheDocument();
    expect(within(form).getByText('SHA256:newKey')).toBeInTheDocument();
    const accept = within(form).getByLabelText('I checked it: trust the new key');
    expect(accept).not.toBeChecked();
    await user.click(accept);
    await user.click(within(form).getByRole('button', { name: 'Save changes and test' }));
    expect(api.UpdateDestination).toHaveBeenCalledWith('box', expect.objectContaining({ url: box.url, acceptFingerprint: 'SHA256:newKey', password: '' }));
    expect(api.UpdateDestination).not.toHaveBeenCalledWith('box', expect.objectContaining({ acceptHostKey: true }));
    expect(await screen.findByRole('status')).toHaveTextContent('Works: a test file was written and removed');
  });

  it('asks again when the key changed once more before it was accepted', async () => {
    const user = userEvent.setup();
    const { AppError } = await import('$lib/api/errors');
    const api = createFakeApi({
      ListDestinations: async () => [box],
      TestDestination: async () => {
        throw new AppError('conflict', changed);
      },
      UpdateDestination: async () => {
        throw new AppError('conflict', 'the host key of sftp.acme.cn:22 changed again: it is not the SHA256:newKey you accepted but SHA256:thirdKey — nothing was changed');
      },
    });
    await renderPage(DestinationsSection, api);
    await user.click(await screen.findByRole('button', { name: 'Test' }));
    await user.click(await screen.findByRole('button', { name: 'Show and accept the new key' }));
    const form = screen.getByRole('form', { name: 'Edit box' });
    await user.click(within(form).getByLabelText('I checked it: trust the new key'));
    await user.click(within(form).getByRole('button', { name: 'Save changes and test' }));
    expect(await within(form).findByText('SHA256:thirdKey')).toBeInTheDocument();
    expect(within(form).getByLabelText('I checked it: trust the new key')).not.toBeChecked();
  });
});
