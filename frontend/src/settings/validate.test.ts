import { describe, expect, it } from 'vitest';
import { validateSettings } from './validate';

describe('validateSettings', () => {
  it.each([
    ['defaults', '100', '5000', {}],
    ['zero size', '0', '5000', { maxFileMb: 'set.err.maxFileMb' }],
    ['decimal batch', '100', '12.5', { batchSize: 'set.err.batchSize' }],
    ['blank both', '', ' ', { maxFileMb: 'set.err.maxFileMb', batchSize: 'set.err.batchSize' }],
    ['huge batch', '100', '2000000', { batchSize: 'set.err.batchSize' }],
  ])('%s', (_n, maxFileMb, batchSize, want) => {
    expect(validateSettings({ maxFileMb, batchSize })).toEqual(want);
  });
});
