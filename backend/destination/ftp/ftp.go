// Package ftp publishes export files to an FTP server with
// github.com/jlaffaye/ftp, in passive mode, optionally over explicit TLS
// (AUTH TLS, then PROT P on every data connection).
//
// In: Options (host, port, user, password, folder, TLS and EPSV switches)
// and, per file, a name under the folder and a reader. Each file is stored
// as NAME.part, its size read back with SIZE and compared, then renamed to
// NAME; a failed or canceled upload deletes NAME.part and never renames it,
// so nothing is left at the final name. A transfer that breaks (a dropped
// connection, a 4xx answer) is retried on a new connection, resuming NAME.part
// with REST from the size the server holds while that point is still in a
// replay window of the last 16 MiB sent. Every read and write on the control
// and data connections has an idle deadline (Options.Timeout).
//
// TLS: servers that insist the data connection resume the control
// connection's TLS session (vsftpd's default require_ssl_reuse=YES) work
// because the TLS config has a session cache, an explicit ServerName (Go
// keys its cache by it; without it by address and port, which differ on the
// data connection) and TLS 1.2 at most (with TLS 1.3 vsftpd takes the
// session but the transfer breaks).
//
// Out: destination.Published with Location "ftp://user@host:port/dir/NAME".
//
// Errors are *apperr.Error: Invalid (bad options), AuthFailed (login
// refused), Unavailable (unreachable, TLS refused or failed, permission or
// folder missing, size differs), Canceled.
package ftp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

var _ destination.Destination = (*Dest)(nil)

// Defaults of Options.
const (
	DefaultPort    = 21
	DefaultTimeout = 30 * time.Second
	DefaultRetries = destination.DefaultRetries
	DefaultBackoff = destination.DefaultBackoff
	// ReplayWindow is how much of the stream is kept to resume a broken
	// transfer.
	ReplayWindow = destination.ReplayWindow
)

// Options say where and how to connect.
type Options struct {
	Host     string
	Port     int    // 0 = 21
	User     string // "" = anonymous
	Password string
	Dir      string // folder on the server; "" = the login folder

	TLS                bool           // explicit TLS (AUTH TLS); control and data connections encrypted
	InsecureSkipVerify bool           // accept any server certificate (self-signed servers)
	RootCAs            *x509.CertPool // certificates to trust; nil = the system's
	DisableEPSV        bool           // use PASV only (old servers, NAT)

	Timeout time.Duration // dial timeout and idle deadline per read/write; 0 = DefaultTimeout
	Retries int           // extra attempts of a broken upload; 0 = DefaultRetries, negative = none
	Backoff time.Duration // wait before the first retry, doubled each time; 0 = DefaultBackoff

	// wrap lets tests break connections; data is false for the control one.
	wrap func(c net.Conn, data bool) net.Conn
}

// Dest is a folder on an FTP server.
type Dest struct {
	opts Options
	tls  *tls.Config
}

// New checks the options; nothing is sent until Put or Test.
func New(o Options) (*Dest, error) {
	o.Host = strings.TrimSpace(o.Host)
	if o.Host == "" || strings.ContainsAny(o.Host, "/@ \r\n") {
		return nil, apperr.New(apperr.Invalid, "an FTP destination needs a host name")
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Port < 1 || o.Port > 65535 {
		return nil, apperr.New(apperr.Invalid, "FTP port %d is not between 1 and 65535", o.Port)
	}
	if o.User == "" {
		o.User, o.Password = "anonymous", "anonymous@"
	}
	if strings.ContainsAny(o.User+o.Password+o.Dir, "\r\n\x00") {
		return nil, apperr.New(apperr.Invalid, "FTP user, password and folder cannot hold line breaks")
	}
	o.Dir = strings.TrimRight(o.Dir, "/")
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
	d := &Dest{opts: o}
	if o.TLS {
		d.tls = &tls.Config{
			ServerName:         o.Host,
			ClientSessionCache: tls.NewLRUClientSessionCache(16),
			MinVersion:         tls.VersionTLS12,
			MaxVersion:         tls.VersionTLS12,
			RootCAs:            o.RootCAs,
			InsecureSkipVerify: o.InsecureSkipVerify, //nolint:gosec // the user's explicit choice for self-signed servers
		}
	}
	return d, nil
}

func (d *Dest) addr() string { return net.JoinHostPort(d.opts.Host, strconv.Itoa(d.opts.Port)) }

// remote is the server path of a name.
func (d *Dest) remote(name string) string {
	if d.opts.Dir == "" {
		return name
	}
	return path.Join(d.opts.Dir, name)
}

// Describe is "ftp://user@host:port/dir" (with " (TLS)" when encrypted).
func (d *Dest) Describe() string {
	s := fmt.Sprintf("ftp://%s@%s/%s", d.opts.User, d.addr(), strings.TrimPrefix(d.opts.Dir, "/"))
	if d.tls != nil {
		s += " (TLS)"
	}
	return s
}

// Close does nothing: every Put opens and closes its own connection.
func (d *Dest) Close() error { return nil }

// Test logs in, writes and removes a probe file.
func (d *Dest) Test(ctx context.Context) error {
	p, err := d.Put(ctx, destination.ProbeName, strings.NewReader("batchdesk probe\n"))
	if err != nil {
		return err
	}
	c, err := d.connect(ctx)
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.sc.Delete(d.remote(p.Name)); err != nil {
		return explain(err, "remove the probe file")
	}
	return nil
}
