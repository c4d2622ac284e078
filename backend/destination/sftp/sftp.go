// Package sftp publishes export files to an SSH server's file system with
// github.com/pkg/sftp over golang.org/x/crypto/ssh.
//
// In: Options (host, port, user, a password or a private key with an
// optional passphrase, a folder, and the server's pinned host key) and, per
// file, a name under the folder and a reader. Each file is written as
// NAME.part, its size read back and compared, then renamed to NAME (with
// posix-rename@openssh.com when the server has it, so an older NAME is
// replaced atomically); a failed or canceled upload removes NAME.part. A
// transfer whose connection breaks (reset, closed, timed out) is retried on
// a new connection (Options.Retries), resuming NAME.part from the size the
// server holds while that point is still in the replay window
// (destination.Replay); a refused login or host key is not retried.
//
// Host keys are pinned like OpenSSH's known_hosts: Options.HostKey is the
// key the user accepted. A server showing another key is refused with
// apperr Conflict naming both SHA256 fingerprints; a server with no pinned
// key is refused (apperr Invalid, with its fingerprint) unless
// Options.AcceptNewHostKey is set. FetchHostKey reads a server's key for
// the user to accept on first use.
//
// Out: destination.Published with Location "sftp://user@host:port/dir/NAME".
//
// Errors are *apperr.Error: Invalid (bad options, unreadable key, unknown
// host key), AuthFailed (password or key refused, wrong key passphrase),
// Conflict (host key changed), Unavailable (unreachable, permission, folder
// missing, size differs), Canceled.
package sftp

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

var _ destination.Destination = (*Dest)(nil)

// Defaults of Options.
const (
	DefaultPort    = 22
	DefaultTimeout = 30 * time.Second
	DefaultRetries = destination.DefaultRetries
	DefaultBackoff = destination.DefaultBackoff
)

// Options say where and how to connect.
type Options struct {
	Host       string
	Port       int // 0 = 22
	User       string
	Password   string // or PrivateKey
	PrivateKey []byte // PEM (OpenSSH or PKCS#8) private key
	Passphrase string // of PrivateKey, when encrypted
	Dir        string // folder on the server; "" = the login folder

	// HostKey is the pinned server key in authorized_keys form
	// ("ssh-ed25519 AAAA…"); "" means none pinned yet.
	HostKey string
	// HostKeyFingerprint pins the key by its SHA256 fingerprint
	// ("SHA256:…") instead, e.g. from a URL's ?hostkey=.
	HostKeyFingerprint string
	// AcceptNewHostKey trusts the key shown when none is pinned (first use).
	AcceptNewHostKey bool

	Timeout time.Duration // dial and handshake timeout; 0 = DefaultTimeout
	Retries int           // extra attempts of a broken upload; 0 = DefaultRetries, negative = none
	Backoff time.Duration // wait before the first retry, doubled each time; 0 = DefaultBackoff
}

// Dest is a folder on an SFTP server.
type Dest struct {
	opts   Options
	pinned ssh.PublicKey
	auth   []ssh.AuthMethod
}

// New checks the options and parses the key; nothing is sent until Put or
// Test.
func New(o Options) (*Dest, error) {
	o.Host = strings.TrimSpace(o.Host)
	if o.Host == "" || strings.ContainsAny(o.Host, "/@ \r\n") {
		return nil, apperr.New(apperr.Invalid, "an SFTP destination needs a host name")
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Port < 1 || o.Port > 65535 {
		return nil, apperr.New(apperr.Invalid, "SFTP port %d is not between 1 and 65535", o.Port)
	}
	if o.User == "" {
		return nil, apperr.New(apperr.Invalid, "an SFTP destination needs a user name")
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	o.Dir = strings.TrimRight(o.Dir, "/")
	d := &Dest{opts: o}
	if o.HostKey != "" {
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(o.HostKey))
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the pinned host key of %s cannot be read", d.addr())
		}
		d.pinned = k
	}
	if len(o.PrivateKey) > 0 {
		var signer ssh.Signer
		var err error
		if o.Passphrase != "" {
			signer, err = ssh.ParsePrivateKeyWithPassphrase(o.PrivateKey, []byte(o.Passphrase))
		} else {
			signer, err = ssh.ParsePrivateKey(o.PrivateKey)
		}
		var missing *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			return nil, apperr.Wrap(err, apperr.AuthFailed, "the private key is encrypted: give its passphrase (BATCHDESK_SFTP_KEY_PASSPHRASE or --key-passphrase-stdin)")
		case errors.Is(err, x509.IncorrectPasswordError):
			return nil, apperr.Wrap(err, apperr.AuthFailed, "the passphrase of the private key is wrong")
		case err != nil:
			return nil, apperr.Wrap(err, apperr.Invalid, "the private key cannot be read (give an OpenSSH or PEM private key file)")
		}
		d.auth = append(d.auth, ssh.PublicKeys(signer))
	}
	if o.Password != "" {
		d.auth = append(d.auth, ssh.Password(o.Password))
	}
	if len(d.auth) == 0 {
		return nil, apperr.New(apperr.Invalid, "an SFTP destination needs a password or a private key (BATCHDESK_SFTP_PASSWORD or ?key=FILE)")
	}
	return d, nil
}

func (d *Dest) addr() string { return net.JoinHostPort(d.opts.Host, strconv.Itoa(d.opts.Port)) }

func (d *Dest) remote(name string) string {
	if d.opts.Dir == "" {
		return name
	}
	return path.Join(d.opts.Dir, name)
}

// Describe is "sftp://user@host:port/dir".
func (d *Dest) Describe() string {
	return fmt.Sprintf("sftp://%s@%s/%s", d.opts.User, d.addr(), strings.TrimPrefix(d.opts.Dir, "/"))
}

// Close does nothing: every Put opens and closes its own connection.
func (d *Dest) Close() error { return nil }

// Fingerprint is a key's SHA256 fingerprint as OpenSSH shows it
// ("SHA256:…").
func Fingerprint(k ssh.PublicKey) string { return ssh.FingerprintSHA256(k) }

// MarshalKey is a key in authorized_keys form, for Options.HostKey.
func MarshalKey(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

// FetchHostKey connects to host:port and returns the host key it shows,
// without logging in: what the user is asked to accept on first use.
func FetchHostKey(ctx context.Context, host string, port int) (ssh.PublicKey, error) {
	if port == 0 {
		port = DefaultPort
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	var got ssh.PublicKey
	cfg := &ssh.ClientConfig{
		User:    "batchdesk-host-key-probe",
		Timeout: DefaultTimeout,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			got = key
			return errGotKey
		},
	}
	conn, err := (&net.Dialer{Timeout: DefaultTimeout}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot reach the SFTP server %s: %s", addr, destination.Quote(err.Error()))
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	_, _, _, err = ssh.NewClientConn(conn, addr, cfg)
	if got != nil {
		return got, nil
	}
	if ctx.Err() != nil {
		return nil, apperr.Wrap(ctx.Err(), apperr.Canceled, "reading the host key of %s was canceled", addr)
	}
	return nil, apperr.Wrap(err, apperr.Unavailable, "the server %s did not show an SSH host key: %s", addr, destination.Quote(fmt.Sprint(err)))
}

var errGotKey = errors.New("host key read")

// HostKeyError is the cause of a refused host key: Got is what the server
// showed; Want what was pinned ("" when none was).
type HostKeyError struct {
	Addr      string
	Want, Got string // SHA256 fingerprints
	Key       string // the shown key, authorized_keys form
}

func (e *HostKeyError) Error() string {
	if e.Want == "" {
		return "unknown host key " + e.Got + " for " + e.Addr
	}
	return "host key of " + e.Addr + " changed from " + e.Want + " to " + e.Got
}

// session is one SSH connection with its SFTP client.
type session struct {
	ssh  *ssh.Client
	sftp *sftp.Client
	stop func() bool
	once sync.Once
}

func (s *session) close() {
	s.once.Do(func() {
		s.stop()
		if s.sftp != nil {
			s.sftp.Close()
		}
		s.ssh.Close()
	})
}

func (d *Dest) connect(ctx context.Context) (*session, error) {
	var refused *HostKeyError
	cfg := &ssh.ClientConfig{
		User:    d.opts.User,
		Auth:    d.auth,
		Timeout: d.opts.Timeout,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			fp := d.opts.HostKeyFingerprint
			switch {
			case d.pinned != nil && string(d.pinned.Marshal()) == string(key.Marshal()):
				return nil
			case d.pinned == nil && fp != "" && fp == Fingerprint(key):
				return nil
			case d.pinned == nil && fp == "" && d.opts.AcceptNewHostKey:
				return nil
			}
			refused = &HostKeyError{Addr: d.addr(), Got: Fingerprint(key), Key: MarshalKey(key), Want: fp}
			if d.pinned != nil {
				refused.Want = Fingerprint(d.pinned)
			}
			return refused
		},
	}
	conn, err := (&net.Dialer{Timeout: d.opts.Timeout}).DialContext(ctx, "tcp", d.addr())
	if err != nil {
		if ctx.Err() != nil {
			return nil, apperr.Wrap(ctx.Err(), apperr.Canceled, "connecting to %s was canceled", d.addr())
		}
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot reach the SFTP server %s: %s", d.addr(), destination.Quote(err.Error()))
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(d.opts.Timeout))
	c, chans, reqs, err := ssh.NewClientConn(conn, d.addr(), cfg)
	if err != nil {
		stop()
		conn.Close()
		return nil, d.explainHandshake(ctx, err, refused)
	}
	_ = conn.SetDeadline(time.Time{})
	s := &session{ssh: ssh.NewClient(c, chans, reqs), stop: stop}
	s.sftp, err = sftp.NewClient(s.ssh, sftp.UseConcurrentWrites(true))
	if err != nil {
		s.close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "the server %s does not offer SFTP: %s", d.addr(), destination.Quote(err.Error()))
	}
	return s, nil
}

func (d *Dest) explainHandshake(ctx context.Context, err error, refused *HostKeyError) error {
	switch {
	case ctx.Err() != nil:
		return apperr.Wrap(ctx.Err(), apperr.Canceled, "connecting to %s was canceled", d.addr())
	case refused != nil && refused.Want != "":
		return apperr.Wrap(refused, apperr.Conflict,
			"the host key of %s changed: it was %s and is now %s — if the server was reinstalled, accept the new key: open the destination's Edit on the Destinations page to see and accept it, or on the command line remove the destination and add it again with --accept-host-key; otherwise someone may be intercepting the connection",
			d.addr(), refused.Want, refused.Got)
	case refused != nil:
		return apperr.Wrap(refused, apperr.Invalid,
			"the SFTP server %s is not known yet: its host key is %s; check it with the server's administrator and accept it (batchdesk destinations add NAME URL --accept-host-key, or ?hostkey=%s)",
			d.addr(), refused.Got, refused.Got)
	case strings.Contains(err.Error(), "unable to authenticate"):
		return apperr.Wrap(err, apperr.AuthFailed, "the SFTP server %s refused the login of %q: check the password or key", d.addr(), destination.Quote(d.opts.User))
	}
	return apperr.Wrap(err, apperr.Unavailable, "the SSH handshake with %s failed: %s", d.addr(), destination.Quote(err.Error()))
}
