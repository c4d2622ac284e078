// AppError: the one error type the api module rejects with.

/** Stable error codes of backend/apperr, plus transport-level ones. */
export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'auth_failed'
  | 'unavailable'
  | 'too_large'
  | 'canceled'
  | 'internal'
  | (string & {});

/** An error from the Go side (or reaching it), with a stable code. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

function fromObject(v: unknown): AppError | null {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.message === 'string' || typeof o.code === 'string') {
      const code = typeof o.code === 'string' && o.code ? o.code : 'internal';
      const message = typeof o.message === 'string' ? o.message : code;
      return new AppError(code, message);
    }
  }
  return null;
}

/**
 * Turns whatever a transport rejected with into an AppError: a JSON string
 * `{"code","message"}` (Wails), a parsed object, an Error, or a bare string
 * (used as the message, with fallbackCode).
 */
export function toAppError(raw: unknown, fallbackCode: ErrorCode = 'internal'): AppError {
  if (raw instanceof AppError) return raw;
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s.startsWith('{')) {
      try {
        const parsed = fromObject(JSON.parse(s));
        if (parsed) return parsed;
      } catch {
        // not JSON: fall through to the raw string
      }
    }
    return new AppError(fallbackCode, s || 'Unknown error');
  }
  if (raw instanceof Error) {
    return toAppError(raw.message, fallbackCode);
  }
  return fromObject(raw) ?? new AppError(fallbackCode, String(raw ?? 'Unknown error'));
}

/** The code an HTTP status means when the body says nothing better. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'invalid';
    case 401:
    case 403:
      return 'unauthorized';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'internal';
  }
}
