import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, fakeEvents } from './test/fakeApi';
import App from './App.svelte';

beforeEach(() => {
  locale.set('en');
  history.replaceState(null, '', '#/');
  localStorage.clear();
});

describe('App shell', () => {
  it('has the nine pages in the navigation and signals readiness once', async () => {
    const api = createFakeApi();
    render(App, { props: { api } });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const names = ['Import', 'Export', 'Delete', 'Jobs', 'Schedules', 'Presets', 'Connections', 'Objects', 'Settings'];
    const links = within(nav).getAllByRole('link');
    expect(links).toHaveLength(names.length);
    names.forEach((name, i) => expect(links[i]).toHaveAccessibleName(name));
    await waitFor(() => expect(api.UIReady).toHaveBeenCalledTimes(1));
    expect(document.title).toBe('Batchdesk');
  });

  it('navigates between pages', async () => {
    const user = userEvent.setup();
    render(App, { props: { api: createFakeApi() } });
    expect(screen.getByRole('heading', { name: 'Import' })).toBeInTheDocument();
    expect(screen.getByText(/Load CSV files into the CRM “sandbox”/)).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Objects' }));
    expect(screen.getByRole('link', { name: 'Objects' })).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('button', { name: 'Show fields of Account' })).toBeInTheDocument();
    expect(location.hash).toBe('#/objects');

    await user.click(screen.getByRole('link', { name: 'Jobs' }));
    expect(screen.getByText('Every import, export and delete, newest first.')).toBeInTheDocument();
  });

  it('opens the files step with the files given on the command line', async () => {
    const api = createFakeApi({
      Info: async () => ({ version: 't', mode: 'desktop', dataDir: '/tmp/bd', secretsMode: 'file', startFiles: ['/data/accounts.csv'] }),
    });
    history.replaceState(null, '', '#/objects');
    render(App, { props: { api } });
    expect(await screen.findByRole('article', { name: 'File accounts.csv' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Files/, current: 'step' })).toBeInTheDocument();
    expect(api.InspectFile).toHaveBeenCalledWith({ path: '/data/accounts.csv', encoding: '', delimiter: '' });
  });

  it('opens the mapping board for command-line files whose object it can guess, and tells Go', async () => {
    const api = createFakeApi({
      Info: async () => ({ version: 't', mode: 'desktop', dataDir: '/tmp/bd', secretsMode: 'file', startFiles: ['/data/accounts.csv'] }),
      GuessObject: async () => 'Account',
    });
    history.replaceState(null, '', '#/objects');
    render(App, { props: { api } });
    expect(await screen.findByRole('region', { name: 'Fields' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Mapping/, current: 'step' })).toBeInTheDocument();
    expect(api.GuessObject).toHaveBeenCalledWith('sandbox', ['客户名称', '行业', '年收入', 'Notes']);
    expect(screen.getByRole('combobox', { name: 'Field for column 客户名称' })).toHaveValue('name');
    expect(screen.getByText('Importing into Account: picked from the columns of accounts.csv.')).toBeInTheDocument();
    await waitFor(() => expect(api.UIStep).toHaveBeenLastCalledWith('mapping'));
    expect(api.UIStep.mock.calls.filter(([s]) => s === 'mapping')).toHaveLength(1);

    // Wrong guess: back to the target, where another object replaces it.
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Choose another object' }));
    expect(screen.getByRole('button', { name: /Target/, current: 'step' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Object' })).toHaveValue('Account');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Object' }), 'Contact');
    const next = () => screen.getByRole('button', { name: /^Next/ });
    await waitFor(() => expect(next()).toBeEnabled());
    await user.click(next());
    await user.click(next());
    await waitFor(() => expect(api.SuggestMapping).toHaveBeenLastCalledWith('sandbox', 'Contact', expect.any(Array)));
    expect(await screen.findByRole('region', { name: 'Fields' })).toBeInTheDocument();
    expect(screen.queryByText(/picked from the columns/)).not.toBeInTheDocument();
  });

  it('guesses the object of files dropped before a target, but keeps one the user chose', async () => {
    const user = userEvent.setup();
    const bus = fakeEvents();
    const api = createFakeApi({ on: bus.on, GuessObject: async () => 'Account' });
    render(App, { props: { api } });
    await waitFor(() => expect(api.UIReady).toHaveBeenCalled());
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Object' }), 'Contact');
    bus.emit('files:dropped', { paths: ['/data/contacts.csv'] });
    expect(await screen.findByRole('article', { name: 'File contacts.csv' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Files/, current: 'step' })).toBeInTheDocument();
    expect(screen.getByText('into Contact')).toBeInTheDocument();
    expect(api.GuessObject).not.toHaveBeenCalled();
  });

  it('shows a running job in the header on every page, linked to its job page', async () => {
    const user = userEvent.setup();
    let emit: (e: unknown) => void = () => {};
    const api = createFakeApi({
      on: ((name: string, cb: (e: unknown) => void) => {
        if (name === 'job:progress') emit = cb;
        return () => {};
      }) as never,
    });
    render(App, { props: { api } });
    await waitFor(() => expect(api.UIReady).toHaveBeenCalled());
    emit({ jobId: 'j9', kind: 'import', status: 'running', total: 200, done: 50, succeeded: 50, failed: 0, bytesRead: 0, bytesTotal: 0, rowsPerSec: 10, message: '' });
    const ind = await screen.findByRole('link', { name: /Import running \(1\)/ });
    expect(ind).toHaveTextContent('25%');
    await user.click(ind);
    expect(location.hash).toBe('#/jobs/j9');
    expect(await screen.findByRole('heading', { name: /Job j9/ })).toBeInTheDocument();
  });

  it('shares the selected connection through the header picker', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    render(App, { props: { api } });
    await user.click(screen.getByRole('link', { name: 'Objects' }));
    await waitFor(() => expect(api.ListObjects).toHaveBeenCalledWith('sandbox'));
    const picker = screen.getByRole('combobox', { name: 'Connection' });
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(2));
    await user.selectOptions(picker, 'acme');
    await waitFor(() => expect(api.ListObjects).toHaveBeenCalledWith('acme'));
    expect(screen.getByText('What the CRM “acme” holds: its objects and their fields.')).toBeInTheDocument();
  });

  it('applies the saved language and switches it from Settings at once', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ GetSettings: async () => ({ language: 'zh', maxFileMb: 100, batchSize: 5000 }) });
    render(App, { props: { api } });
    expect(await screen.findByRole('link', { name: '设置' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: '设置' }));
    await user.click(screen.getByRole('radio', { name: 'English' }));
    expect(screen.getByRole('link', { name: 'Settings' })).toBeInTheDocument();
    expect(api.SaveSettings).toHaveBeenCalledWith({ language: 'en', maxFileMb: 100, batchSize: 5000 });
    expect(screen.getByText('/tmp/bd')).toBeInTheDocument();
    expect(screen.getByText('an encrypted file (no keyring available)')).toBeInTheDocument();
  });

  it('saves the import defaults and refuses bad numbers', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    history.replaceState(null, '', '#/settings');
    render(App, { props: { api } });
    const size = await screen.findByLabelText('Maximum file size (MB)');
    await waitFor(() => expect(size).toHaveValue('100'));
    await user.clear(size);
    await user.type(size, '0');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Enter a whole number from 1 to 10240.')).toBeInTheDocument();
    expect(api.SaveSettings).not.toHaveBeenCalled();
    await user.clear(size);
    await user.type(size, '250');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(api.SaveSettings).toHaveBeenCalledWith({ language: 'en', maxFileMb: 250, batchSize: 5000 });
  });
});
