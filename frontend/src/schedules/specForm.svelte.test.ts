import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import { AppError } from '$lib/api/errors';
import { SpecForm, specText } from './specForm.svelte';
import ScheduleForm from './ScheduleForm.svelte';

const base = { kind: 'daily' as const, date: '', time: '02:00', weekdays: ['mon' as const], day: 1 };

describe('specText', () => {
  it('writes every kind as Go reads it', () => {
    expect(specText({ ...base, kind: 'once', date: '2026-12-24', time: '18:30' })).toBe('once 2026-12-24T18:30');
    expect(specText({ ...base, kind: 'once', date: '2026-12-24', time: '18:30:05' })).toBe('once 2026-12-24T18:30:05');
    expect(specText({ ...base, kind: 'daily' })).toBe('daily 02:00');
    expect(specText({ ...base, kind: 'weekly', weekdays: ['thu', 'mon'] })).toBe('weekly mon,thu 02:00');
    expect(specText({ ...base, kind: 'monthly', day: 31 })).toBe('monthly 31 02:00');
  });

  it('is empty while something is missing', () => {
    expect(specText({ ...base, kind: 'once', date: '' })).toBe('');
    expect(specText({ ...base, kind: 'weekly', weekdays: [] })).toBe('');
    expect(specText({ ...base, kind: 'monthly', day: 0 })).toBe('');
    expect(specText({ ...base, time: '' })).toBe('');
  });
});

describe('SpecForm', () => {
  it('shows Go’s words and next runs, and Go’s refusal', async () => {
    const PreviewSpec = vi.fn(async (spec: string) => {
      if (spec.startsWith('once')) throw new AppError('invalid', 'that time has passed');
      return { spec: `${spec} Asia/Shanghai`, words: 'Every Monday at 02:00 (Asia/Shanghai)', next: ['2026-12-06T18:00:00Z'], nextWords: ['Mon 2026-12-07 02:00 CST'] };
    });
    const f = new SpecForm({ PreviewSpec, LocalZone: async () => 'Asia/Shanghai' });
    f.kind = 'weekly';
    await f.init();
    expect(f.zone).toBe('Asia/Shanghai');
    expect(PreviewSpec).toHaveBeenLastCalledWith('weekly mon 02:00', 'Asia/Shanghai', 'en', 5);
    expect(f.preview?.nextWords).toEqual(['Mon 2026-12-07 02:00 CST']);
    f.kind = 'once';
    f.date = '2020-01-01';
    await f.refresh();
    expect(f.preview).toBeNull();
    expect(f.error?.message).toBe('that time has passed');
  });

  it('keeps a zone typed while the computer’s was being asked for', async () => {
    let answer: (z: string) => void = () => {};
    const LocalZone = vi.fn(() => new Promise<string>((r) => (answer = r)));
    const f = new SpecForm({ PreviewSpec: vi.fn(async () => ({ spec: 'daily 02:00 UTC', words: '', next: [], nextWords: [] })), LocalZone });
    const done = f.init();
    f.zone = 'UTC'; // typed before the answer came
    answer('Etc/UTC');
    await done;
    expect(f.zone).toBe('UTC');
  });

  it('sets a once a few seconds ahead in UTC', () => {
    const f = new SpecForm({ PreviewSpec: vi.fn(), LocalZone: vi.fn() });
    f.inSeconds(10, new Date('2026-12-01T23:59:55Z'));
    expect(f.spec).toBe('once 2026-12-02T00:00:05');
    expect(f.zone).toBe('UTC');
  });

  it('renders the words and the runs', async () => {
    const f = new SpecForm({
      PreviewSpec: async () => ({ spec: 'daily 02:00 UTC', words: 'Every day at 02:00 (UTC)', next: [], nextWords: ['Wed 2026-12-02 02:00 UTC', 'Thu 2026-12-03 02:00 UTC'] }),
      LocalZone: async () => 'UTC',
    });
    render(ScheduleForm, { props: { form: f } });
    await waitFor(() => expect(screen.getByText('Every day at 02:00 (UTC)')).toBeInTheDocument());
    expect(screen.getByText('Thu 2026-12-03 02:00 UTC')).toBeInTheDocument();
  });
});
