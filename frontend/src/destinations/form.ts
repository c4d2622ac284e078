// The destination form's values and the DEST URL Go reads from them
// (backend/destinations ParseSpec): a folder, oss://bucket/prefix,
// ftp://user@host[:port]/dir[?tls=explicit], sftp://user@host[:port]/dir.
import { AppError, toAppError, type DestinationInput, type SavedDestination } from '$lib/api';
import { errorText } from '../shared/errorText';

export type DestKind = 'local' | 'oss' | 'ftp' | 'sftp';
export const DEST_KINDS: readonly DestKind[] = ['local', 'oss', 'ftp', 'sftp'];

export interface DestForm {
  kind: DestKind;
  name: string;
  folder: string;
  bucket: string;
  prefix: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  host: string;
  port: string;
  user: string;
  dir: string;
  password: string;
  tls: boolean;
  keyFile: string;
  keyPassphrase: string;
  acceptHostKey: boolean;
  /** The server folder is absolute (the URL's path starts with "//"): an edited URL keeps it. */
  absolute?: boolean;
  /** Query parameters of a saved URL the form does not show (epsv=off, verify=off, hostkey=…), kept as they are. */
  keep?: string;
}

export function emptyForm(kind: DestKind = 'local'): DestForm {
  return {
    kind, name: '', folder: '', bucket: '', prefix: '', endpoint: '', region: '', accessKeyId: '', accessKeySecret: '',
    host: '', port: '', user: '', dir: '', password: '', tls: false, keyFile: '', keyPassphrase: '', acceptHostKey: false,
  };
}

const enc = (s: string) => encodeURIComponent(s.trim());
const path = (s: string) => s.trim().replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');

/** The DEST string of the form (no secret in it), "" while the form misses its main part. */
export function destUrl(f: DestForm): string {
  switch (f.kind) {
    case 'local':
      return f.folder.trim();
    case 'oss':
      if (!f.bucket.trim()) return '';
      return `oss://${enc(f.bucket)}${f.prefix.trim() ? '/' + path(f.prefix) : ''}`;
    case 'ftp':
    case 'sftp': {
      if (!f.host.trim() || !f.user.trim()) return '';
      const port = /^\d+$/.test(f.port.trim()) ? `:${f.port.trim()}` : '';
      const params = [f.kind === 'ftp' && f.tls ? 'tls=explicit' : '', f.keep ?? ''].filter(Boolean).join('&');
      const q = params ? `?${params}` : '';
      return `${f.kind}://${enc(f.user)}@${f.host.trim()}${port}/${f.absolute ? '/' : ''}${path(f.dir)}${q}`;
    }
  }
}

/** What the missing part of the form is, as a message key; null when it is complete. */
export function missing(f: DestForm): 'dest.err.name' | 'dest.err.folder' | 'dest.err.bucket' | 'dest.err.endpoint' | 'dest.err.host' | 'dest.err.port' | null {
  if (!f.name.trim()) return 'dest.err.name';
  if (f.kind === 'local' && !f.folder.trim()) return 'dest.err.folder';
  if (f.kind === 'oss' && !f.bucket.trim()) return 'dest.err.bucket';
  if (f.kind === 'oss' && !f.endpoint.trim()) return 'dest.err.endpoint';
  if ((f.kind === 'ftp' || f.kind === 'sftp') && (!f.host.trim() || !f.user.trim())) return 'dest.err.host';
  if (f.port.trim() && !/^\d+$/.test(f.port.trim())) return 'dest.err.port';
  return null;
}

/** The input Go saves: the URL plus the secrets of the kind (to the keyring). */
export function toInput(f: DestForm): DestinationInput {
  const base: DestinationInput = { name: f.name.trim(), url: destUrl(f) };
  switch (f.kind) {
    case 'oss':
      return { ...base, endpoint: f.endpoint.trim(), region: f.region.trim(), accessKeyId: f.accessKeyId.trim(), accessKeySecret: f.accessKeySecret };
    case 'ftp':
      return { ...base, password: f.password };
    case 'sftp':
      return { ...base, password: f.password, keyFile: f.keyFile.trim(), keyPassphrase: f.keyPassphrase, acceptHostKey: f.acceptHostKey };
  }
  return base;
}

const dec = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * The form of a saved destination, to edit it: its URL (as Go writes it,
 * backend/destinations Spec.String) read back into the fields, the secrets
 * empty (Go keeps the stored ones when they stay empty).
 */
export function fromSaved(d: SavedDestination): DestForm {
  const kind = (DEST_KINDS as readonly string[]).includes(d.kind) ? (d.kind as DestKind) : 'local';
  const f: DestForm = { ...emptyForm(kind), name: d.name };
  if (kind === 'local') return { ...f, folder: d.url };
  const m = /^(\w+):\/\/(?:([^@/]*)@)?(\[[^\]]*\]|[^/:?]*)(?::(\d+))?(\/[^?]*)?(?:\?(.*))?$/.exec(d.url);
  if (!m) return f;
  const [, , user = '', host = '', port = '', rawPath = '', query = ''] = m;
  if (kind === 'oss') {
    return { ...f, bucket: dec(host), prefix: dec(rawPath.replace(/^\/+/, '')), endpoint: d.endpoint ?? '', region: d.region ?? '', accessKeyId: d.accessKeyId ?? '' };
  }
  const keep: string[] = [];
  let tls = false;
  let keyFile = '';
  for (const p of query.split('&').filter(Boolean)) {
    const [k, v = ''] = p.split('=');
    if (kind === 'ftp' && k === 'tls' && v === 'explicit') tls = true;
    else if (kind === 'sftp' && k === 'key') keyFile = dec(v);
    else keep.push(p);
  }
  return {
    ...f, user: dec(user), host, port, tls, keyFile, keep: keep.join('&'),
    absolute: rawPath.startsWith('//'), dir: dec(rawPath.replace(/^\/+/, '')),
  };
}

/**
 * The SHA256 fingerprint an SFTP refusal names, or "": the server's key
 * now, which Go names last ("it was OLD and is now NEW").
 */
export function fingerprintIn(message: string): string {
  return message.match(/SHA256:[A-Za-z0-9+/=]+/g)?.at(-1) ?? '';
}

/** Whether err refuses an SFTP server whose key changed since it was accepted. */
export function hostKeyChanged(err: AppError): boolean {
  return err.code === 'conflict' && /host key of \S+ changed/.test(err.message) && !!fingerprintIn(err.message);
}

/** A refusal in plain words: what its code means, then Go's detail capitalised, then the code. */
export function problemText(e: unknown): string {
  const err = toAppError(e);
  const detail = err.message ? err.message.charAt(0).toUpperCase() + err.message.slice(1) : err.message;
  return errorText(new AppError(err.code, detail));
}
