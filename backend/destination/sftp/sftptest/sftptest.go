// Package sftptest runs an SSH server with pkg/sftp's SFTP subsystem inside
// a test process (or build/e2esftp, the end-to-end test's server), on a
// loopback port, over the real file system: user "exporter", logging in
// with a password or a public key.
package sftptest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"sync"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// User is the only user the server knows.
const User = "exporter"

// Server is an SSH server in this process whose only subsystem is
// pkg/sftp's server over the real file system.
type Server struct {
	Addr     string
	Port     int
	HostKey  ssh.Signer
	Password string        // "" = no password login
	UserKey  ssh.PublicKey // nil = no key login; set before connecting
	Dir      string        // the login folder relative paths start from; "" = the process's

	l         net.Listener
	mu        sync.Mutex
	logins    int
	conns     int
	dropAfter int64
}

// Conns counts the connections accepted so far (logins or not).
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// DropFirstAfter makes the server close the connection of the next login
// (the first one from now) once it has received n bytes after the login,
// as a network that drops a connection mid-upload does.
func (s *Server) DropFirstAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropAfter = n
}

// dropping is a connection closed once limit bytes were read after arm.
type dropping struct {
	net.Conn
	mu    sync.Mutex
	limit int64 // 0 = never
	read  int64
}

func (d *dropping) arm(limit int64) {
	d.mu.Lock()
	d.limit, d.read = limit, 0
	d.mu.Unlock()
}

func (d *dropping) Read(b []byte) (int, error) {
	n, err := d.Conn.Read(b)
	d.mu.Lock()
	d.read += int64(n)
	drop := d.limit > 0 && d.read >= d.limit
	d.mu.Unlock()
	if drop {
		d.Conn.Close()
		return 0, net.ErrClosed
	}
	return n, err
}

// Logins counts the successful logins so far.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// NewSigner makes an ed25519 key.
func NewSigner(t testing.TB) (ssh.Signer, ed25519.PrivateKey) {
	t.Helper()
	s, priv, err := GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	return s, priv
}

// GenerateSigner makes an ed25519 key.
func GenerateSigner() (ssh.Signer, ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	s, err := ssh.NewSignerFromKey(priv)
	return s, priv, err
}

// PrivatePEM is priv in OpenSSH form, encrypted when passphrase is set.
func PrivatePEM(t testing.TB, priv ed25519.PrivateKey, passphrase string) []byte {
	t.Helper()
	var b *pem.Block
	var err error
	if passphrase != "" {
		b, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte(passphrase))
	} else {
		b, err = ssh.MarshalPrivateKey(priv, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(b)
}

// Start serves on a free loopback port until the test ends.
func Start(t testing.TB, hostKey ssh.Signer, password string, userKey ssh.PublicKey) *Server {
	t.Helper()
	s, err := Listen("127.0.0.1:0", hostKey, password, userKey, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Listen serves on addr ("127.0.0.1:0" = a free loopback port) until
// Close; dir is the login folder ("" = the process's working directory).
func Listen(addr string, hostKey ssh.Signer, password string, userKey ssh.PublicKey, dir string) (*Server, error) {
	s := &Server{HostKey: hostKey, Password: password, UserKey: userKey, Dir: dir}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if c.User() == User && s.Password != "" && string(pw) == s.Password {
				return nil, nil
			}
			return nil, errRefused
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == User && s.UserKey != nil && bytes.Equal(k.Marshal(), s.UserKey.Marshal()) {
				return nil, nil
			}
			return nil, errRefused
		},
	}
	cfg.AddHostKey(hostKey)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.l = l
	s.Addr = l.Addr().String()
	s.Port = l.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c, cfg)
		}
	}()
	return s, nil
}

// Close stops accepting logins.
func (s *Server) Close() { s.l.Close() }

type refusedError struct{}

func (refusedError) Error() string { return "refused" }

var errRefused = refusedError{}

func (s *Server) serve(raw net.Conn, cfg *ssh.ServerConfig) {
	c := &dropping{Conn: raw}
	defer c.Close()
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	_, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.logins++
	if s.dropAfter > 0 {
		c.arm(s.dropAfter)
		s.dropAfter = 0
	}
	s.mu.Unlock()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "no")
			continue
		}
		ch, in, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for req := range in {
				ok := req.Type == "subsystem" && len(req.Payload) > 4 && string(req.Payload[4:]) == "sftp"
				req.Reply(ok, nil)
				if ok {
					var opts []sftp.ServerOption
					if s.Dir != "" {
						opts = append(opts, sftp.WithServerWorkingDirectory(s.Dir))
					}
					srv, err := sftp.NewServer(ch, opts...)
					if err == nil {
						srv.Serve()
						srv.Close()
					}
					ch.Close()
					return
				}
			}
		}()
	}
}
