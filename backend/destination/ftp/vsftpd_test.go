package ftp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

const vsftpdUser = "batchdeskftp"

// skipOrFail skips with one loud line, or fails under CI=true.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s", msg)
	}
	t.Skipf("SKIPPED — %s", msg)
}

// vsftpdServer starts Debian's vsftpd on a free loopback port with its
// default TLS settings turned on (ssl_enable=YES; force_local_logins_ssl,
// force_local_data_ssl and require_ssl_reuse left at their default YES),
// logging in a local user that the test creates. It returns the folder the
// client writes to and the client's options.
func vsftpdServer(t *testing.T) (string, Options) {
	t.Helper()
	bin, err := exec.LookPath("vsftpd")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/vsftpd"); err != nil {
			skipOrFail(t, "vsftpd is not installed (apt-get install vsftpd, or build/scripts/deps.sh apt)")
		}
		bin = "/usr/sbin/vsftpd"
	}
	if os.Geteuid() != 0 {
		skipOrFail(t, "the vsftpd test must run as root to create its local FTP user")
	}
	home, err := os.MkdirTemp("", "batchdesk-vsftpd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	os.Chmod(home, 0o755)
	password := fmt.Sprintf("Pw-%d", time.Now().UnixNano())
	if _, err := user.Lookup(vsftpdUser); err != nil {
		run(t, "useradd", "-M", "-d", home, "-s", "/bin/sh", vsftpdUser)
		t.Cleanup(func() { exec.Command("userdel", vsftpdUser).Run() })
	} else {
		run(t, "usermod", "-d", home, vsftpdUser)
	}
	cmd := exec.Command("chpasswd")
	cmd.Stdin = strings.NewReader(vsftpdUser + ":" + password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chpasswd: %v %s", err, out)
	}
	exports := filepath.Join(home, "exports")
	os.Mkdir(exports, 0o755)
	run(t, "chown", "-R", vsftpdUser, home)

	cert := newTestCert(t, true)
	certFile, keyFile := filepath.Join(home, "cert.pem"), filepath.Join(home, "key.pem")
	os.WriteFile(certFile, cert.certPEM, 0o600)
	os.WriteFile(keyFile, cert.keyPEM, 0o600)
	os.MkdirAll("/var/run/vsftpd/empty", 0o755)
	port := freePort(t)
	conf := filepath.Join(home, "vsftpd.conf")
	os.WriteFile(conf, []byte(strings.Join([]string{
		"listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=" + strconv.Itoa(port),
		"background=NO", "anonymous_enable=NO", "local_enable=YES", "write_enable=YES",
		"pasv_enable=YES", "pasv_address=127.0.0.1",
		"ssl_enable=YES", "rsa_cert_file=" + certFile, "rsa_private_key_file=" + keyFile,
		"secure_chroot_dir=/var/run/vsftpd/empty", "pam_service_name=vsftpd",
		"xferlog_enable=NO", "vsftpd_log_file=" + filepath.Join(home, "vsftpd.log"),
	}, "\n")+"\n"), 0o644)
	srv := exec.Command(bin, conf)
	out := &strings.Builder{}
	srv.Stdout, srv.Stderr = out, out
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	t.Cleanup(func() {
		srv.Process.Kill()
		<-exited
	})
	waitListening(t, "127.0.0.1:"+strconv.Itoa(port), func() error {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("%v: %s", err, out.String())
		default:
			return nil
		}
	})
	return exports, Options{Host: "127.0.0.1", Port: port, User: vsftpdUser, Password: password, Dir: exports,
		TLS: true, RootCAs: cert.pool, Backoff: 1}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v %s", name, args, err, out)
	}
}

func TestVsftpd(t *testing.T) {
	dir, opts := vsftpdServer(t)
	runSuite(t, dir, opts)

	// The server really demands session reuse: the same client without a
	// session cache is refused on the data connection, in plain words.
	t.Run("without session reuse the server refuses", func(t *testing.T) {
		d, _ := New(opts)
		d.tls.ClientSessionCache = nil
		_, err := d.Put(context.Background(), "noreuse.csv", strings.NewReader("x"))
		if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "session reuse") {
			t.Fatalf("err = %v", err)
		}
		assertAbsent(t, dir, "noreuse.csv")
	})
	t.Run("TLS 1.3", func(t *testing.T) {
		d, _ := New(opts)
		d.tls.MaxVersion = 0 // let Go pick TLS 1.3
		_, err := d.Put(context.Background(), "tls13.csv", &genReader{size: 1 << 20})
		t.Logf("with TLS 1.3 allowed: %v", err)
		assertAbsent(t, dir, "tls13.csv.part")
	})
}
