package ftp

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"time"

	"github.com/jlaffaye/ftp"
)

// session is one logged-in control connection and the data connections it
// opened; close (or the context ending) closes them all.
type session struct {
	sc    *ftp.ServerConn
	mu    sync.Mutex
	conns []net.Conn
	stop  func() bool
}

// connect dials, upgrades to TLS when asked, and logs in.
func (d *Dest) connect(ctx context.Context) (*session, error) {
	s := &session{}
	dialer := &net.Dialer{Timeout: d.opts.Timeout}
	first := true
	dial := func(network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		data := !first
		first = false
		c = &deadlineConn{Conn: c, idle: d.opts.Timeout}
		if d.opts.wrap != nil {
			c = d.opts.wrap(c, data)
		}
		if data && d.tls != nil {
			c = tls.Client(c, d.tls) // the library wraps only connections it dials itself
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		return c, nil
	}
	opts := []ftp.DialOption{
		ftp.DialWithDialFunc(dial),
		ftp.DialWithDisabledEPSV(d.opts.DisableEPSV),
		ftp.DialWithShutTimeout(d.opts.Timeout),
	}
	if d.tls != nil {
		opts = append(opts, ftp.DialWithExplicitTLS(d.tls))
	}
	s.stop = context.AfterFunc(ctx, s.closeConns)
	sc, err := ftp.Dial(d.addr(), opts...)
	if err != nil {
		s.stop()
		s.closeConns()
		return nil, d.explainDial(ctx, err)
	}
	s.sc = sc
	if err := sc.Login(d.opts.User, d.opts.Password); err != nil {
		s.close()
		return nil, d.explainLogin(ctx, err)
	}
	return s, nil
}

func (s *session) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
}

func (s *session) close() {
	s.stop()
	if s.sc != nil {
		_ = s.sc.Quit()
	}
	s.closeConns()
}

// deadlineConn gives every read and write an idle deadline, so a stalled
// transfer fails instead of hanging.
type deadlineConn struct {
	net.Conn
	idle time.Duration
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	return c.Conn.Write(p)
}
