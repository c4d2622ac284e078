package sftp

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

// testServer is an SSH server in this process whose only subsystem is
// pkg/sftp's server over the real file system.
type testServer struct {
	addr     string
	port     int
	hostKey  ssh.Signer
	password string
	userKey  ssh.PublicKey

	mu     sync.Mutex
	logins int
}

func newSigner(t *testing.T) (ssh.Signer, ed25519.PrivateKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, priv
}

// privatePEM is priv in OpenSSH form, encrypted when passphrase is set.
func privatePEM(t *testing.T, priv ed25519.PrivateKey, passphrase string) []byte {
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

func startServer(t *testing.T, hostKey ssh.Signer, password string, userKey ssh.PublicKey) *testServer {
	t.Helper()
	s := &testServer{hostKey: hostKey, password: password, userKey: userKey}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if c.User() == "exporter" && s.password != "" && string(pw) == s.password {
				return nil, nil
			}
			return nil, errRefused
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == "exporter" && s.userKey != nil && bytes.Equal(k.Marshal(), s.userKey.Marshal()) {
				return nil, nil
			}
			return nil, errRefused
		},
	}
	cfg.AddHostKey(hostKey)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s.addr = l.Addr().String()
	s.port = l.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c, cfg)
		}
	}()
	return s
}

type refusedError struct{}

func (refusedError) Error() string { return "refused" }

var errRefused = refusedError{}

func (s *testServer) serve(c net.Conn, cfg *ssh.ServerConfig) {
	defer c.Close()
	_, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.logins++
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
					srv, err := sftp.NewServer(ch)
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
