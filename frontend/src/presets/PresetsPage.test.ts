import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import PresetsPage from './PresetsPage.svelte';

beforeEach(() => locale.set('en'));

describe('PresetsPage', () => {
  it('lists presets with object, mode and columns', async () => {
    await renderPage(PresetsPage, createFakeApi(), { page: 'presets' });
    const table = await screen.findByRole('table', { name: 'Saved presets' });
    const row = within(table).getByText('Accounts CN').closest('tr')!;
    expect(within(row).getByText('Account')).toBeInTheDocument();
    expect(within(row).getByText('Add new')).toBeInTheDocument();
    expect(within(row).getByText('4')).toBeInTheDocument();
  });

  it('writes dates the way the UI language does', async () => {
    locale.set('zh');
    await renderPage(PresetsPage, createFakeApi(), { page: 'presets' });
    const table = await screen.findByRole('table', { name: '已保存的映射方案' });
    const row = within(table).getByText('Accounts CN').closest('tr')!;
    expect(row.textContent).toMatch(/2026\/1\/[12]/);
  });

  it('renames, deletes after confirming, exports and imports', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(PresetsPage, createFakeApi(), { page: 'presets' });
    await user.click(await screen.findByRole('button', { name: 'Rename Contacts' }));
    const input = screen.getByRole('textbox', { name: 'New name for Contacts' });
    await user.clear(input);
    await user.type(input, 'Contacts 2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.RenamePreset).toHaveBeenCalledWith('Contacts', 'Contacts 2');
    expect(await screen.findByText('Preset “Contacts” renamed to “Contacts 2”.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Delete Accounts CN' }));
    expect(api.DeletePreset).not.toHaveBeenCalled();
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yes, delete' }));
    expect(api.DeletePreset).toHaveBeenCalledWith('Accounts CN');
    expect(await screen.findByText('Preset “Accounts CN” deleted.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Export Contacts 2' }));
    expect(api.ExportPreset).toHaveBeenCalledWith('Contacts 2');
    expect(api.saveText).toHaveBeenCalledWith('Contacts 2.json', expect.stringContaining('"object":"Account"'));

    const json = JSON.stringify({ name: 'Shared', object: 'Contact', mode: 'insert', columns: {} });
    await user.upload(screen.getByLabelText('Preset JSON file'), new File([json], 'shared.json', { type: 'application/json' }));
    await waitFor(() => expect(api.ImportPreset).toHaveBeenCalledWith(json));
    expect(await screen.findByText('Preset “Shared” imported.')).toBeInTheDocument();
  });

  it('says how to make one when there are none', async () => {
    await renderPage(PresetsPage, createFakeApi({ ListPresets: async () => [] }), { page: 'presets' });
    expect(await screen.findByText(/No presets yet/)).toBeInTheDocument();
  });
});
