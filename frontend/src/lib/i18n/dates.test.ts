import { afterEach, describe, expect, it } from 'vitest';
import { formatTime, formatWhen, locale } from '$lib/i18n';

afterEach(() => locale.set('en'));

describe('formatWhen / formatTime', () => {
  // 15:04:05 local time: the formatter shows the viewer's clock.
  const at = new Date(2026, 11, 1, 15, 4, 5);

  it('is 24-hour in both languages, in the language’s order', () => {
    locale.set('en');
    expect(formatWhen(at)).toBe('01/12/2026, 15:04:05');
    expect(formatTime(at)).toBe('15:04:05');
    locale.set('zh');
    expect(formatWhen(at)).toBe('2026/12/1 15:04:05');
    expect(formatTime(at)).toBe('15:04:05');
    expect(formatWhen(at)).not.toMatch(/PM|下午/);
    expect(formatTime(new Date(2026, 0, 2, 0, 5, 0))).toBe('00:05:00');
  });

  it('gives nothing for no time or a bad one', () => {
    expect(formatWhen('')).toBe('');
    expect(formatWhen('not a date')).toBe('');
    expect(formatTime('')).toBe('');
  });
});
