import { describe, expect, it } from 'vitest';
import { destUrl, emptyForm, fingerprintIn, missing, toInput } from './form';

describe('destination form', () => {
  it('writes the DEST URL of each kind, never with a secret', () => {
    expect(destUrl({ ...emptyForm('local'), folder: ' /home/me/out ' })).toBe('/home/me/out');
    expect(destUrl({ ...emptyForm('oss'), bucket: 'acme', prefix: '/crm/daily' })).toBe('oss://acme/crm/daily');
    const ftp = { ...emptyForm('ftp'), host: 'ftp.acme.cn', port: '2121', user: 'exp', dir: 'out', tls: true, password: 'secret' };
    expect(destUrl(ftp)).toBe('ftp://exp@ftp.acme.cn:2121/out?tls=explicit');
    expect(destUrl({ ...emptyForm('sftp'), host: 'h', user: 'u@x', dir: '' })).toBe('sftp://u%40x@h/');
    expect(toInput(ftp)).toEqual({ name: '', url: 'ftp://exp@ftp.acme.cn:2121/out?tls=explicit', password: 'secret' });
    expect(toInput(ftp).url).not.toContain('secret');
  });

  it('says what is missing', () => {
    expect(missing(emptyForm())).toBe('dest.err.name');
    expect(missing({ ...emptyForm('local'), name: 'a' })).toBe('dest.err.folder');
    expect(missing({ ...emptyForm('oss'), name: 'a', bucket: 'b' })).toBe('dest.err.endpoint');
    expect(missing({ ...emptyForm('ftp'), name: 'a', host: 'h' })).toBe('dest.err.host');
    expect(missing({ ...emptyForm('ftp'), name: 'a', host: 'h', user: 'u', port: 'x' })).toBe('dest.err.port');
    expect(missing({ ...emptyForm('ftp'), name: 'a', host: 'h', user: 'u' })).toBeNull();
  });

  it('finds the host key fingerprint in an SFTP refusal', () => {
    expect(fingerprintIn('the server key SHA256:abc+/de= is not accepted yet')).toBe('SHA256:abc+/de=');
    expect(fingerprintIn('refused')).toBe('');
  });
});
