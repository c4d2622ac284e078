// The only bridge between the UI and Go. Nothing outside src/lib/api/ may
// touch window.go, window.runtime or /api/ URLs.
export { api, createApi, type Api } from './client';
export { AppError, isAppError, toAppError, type ErrorCode } from './errors';
export type * from './types';
export { SSL_MODES, FIELD_TYPES, IMPORT_MODES, DATE_FORMATS, NUMBER_LOCALES } from './types';
