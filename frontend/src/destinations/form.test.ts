import { describe, expect, it } from 'vitest';
import { destUrl, emptyForm, fingerprintIn, fromSaved, missing, toInput } from './form';

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
    // A changed key: the server's key now, not the one accepted before.
    expect(fingerprintIn('the host key of h:22 changed: it was SHA256:old and is now SHA256:new — accept it')).toBe('SHA256:new');
  });

  it('reads a saved destination back into the form, so its URL comes back the same', () => {
    // URLs as Go writes them (backend/destinations Spec.String).
    const saved = [
      { name: 'f', kind: 'ftp', url: 'ftp://exp@ftp.acme.cn:2121/out%20dir?epsv=off&tls=explicit', hasSecret: true },
      { name: 'o', kind: 'oss', url: 'oss://acme/crm/daily', endpoint: 'oss-cn-hangzhou.aliyuncs.com', region: 'cn-hangzhou', accessKeyId: 'LTAI', hasSecret: true },
      { name: 'l', kind: 'local', url: '/home/me/out', hasSecret: false },
    ];
    for (const d of saved) expect(destUrl(fromSaved(d))).toBe(d.url.replace('epsv=off&tls=explicit', 'tls=explicit&epsv=off'));
    const f = fromSaved(saved[0]);
    expect(f).toMatchObject({ kind: 'ftp', name: 'f', host: 'ftp.acme.cn', port: '2121', user: 'exp', dir: 'out dir', tls: true, password: '' });
    expect(fromSaved(saved[1])).toMatchObject({ bucket: 'acme', prefix: 'crm/daily', endpoint: 'oss-cn-hangzhou.aliyuncs.com', accessKeyId: 'LTAI', accessKeySecret: '' });

    // SFTP: an absolute folder and the pinned key stay; the key file moves to its field.
    const sftp = fromSaved({
      name: 's', kind: 'sftp', hasSecret: true,
      url: 'sftp://u%40x@h:2222//srv/exp?hostkey=SHA256%3A2R1XbP3T8hX2O0vQ9p8cYy5vG3p2QkZsYyq1c2e3f4g&key=%2Fhome%2Fme%2F.ssh%2Fid',
    });
    expect(sftp).toMatchObject({ user: 'u@x', host: 'h', port: '2222', dir: 'srv/exp', absolute: true, keyFile: '/home/me/.ssh/id', keyPassphrase: '' });
    expect(toInput(sftp)).toMatchObject({ url: 'sftp://u%40x@h:2222//srv/exp?hostkey=SHA256%3A2R1XbP3T8hX2O0vQ9p8cYy5vG3p2QkZsYyq1c2e3f4g', keyFile: '/home/me/.ssh/id', password: '' });
  });
});
