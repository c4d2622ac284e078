package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
)

// PasswordCluster starts a throwaway PostgreSQL cluster that really checks
// passwords (scram-sha-256), because the machine's own cluster trusts every
// login. It returns a DSN without a password for user "postgres" whose
// password is the returned string; the cluster is stopped and removed when
// the test ends. It skips (fails under CI=true) when initdb is not installed.
func PasswordCluster(t testing.TB) (dsn, password string) {
	t.Helper()
	password = "s3cret-" + randomHex(4)
	return startCluster(t, password, nil), password
}

// Cluster starts a throwaway PostgreSQL cluster with trust authentication
// and the given server settings ("name=value", e.g.
// "max_locks_per_transaction=10"), for a test that needs settings the
// shared server must not have. It returns the DSN of its postgres
// database; the cluster is stopped and removed when the test ends. It
// skips (fails under CI=true) when initdb is not installed.
func Cluster(t testing.TB, settings ...string) string {
	t.Helper()
	return startCluster(t, "", settings)
}

// startCluster runs initdb (scram-sha-256 with password, else trust) and
// pg_ctl start on a free port with settings.
func startCluster(t testing.TB, password string, settings []string) string {
	t.Helper()
	bin := postgresBin()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("initdb not found: install Debian's postgresql package")
		}
		t.Skip("SKIPPING: initdb not found (install postgresql)")
	}
	dir, err := os.MkdirTemp("", "bd-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pwfile := filepath.Join(dir, "pw")
	data := filepath.Join(dir, "data")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 { // initdb refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres OS user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		for _, p := range []string{dir, pwfile} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	auth := []string{"--auth=trust"}
	if password != "" {
		auth = []string{"--auth=scram-sha-256", "--pwfile=" + pwfile}
	}
	run("initdb", append([]string{"-D", data, "-U", "postgres", "-E", "UTF8", "--no-sync"}, auth...)...)
	port := freePort(t)
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", port, dir)
	for _, s := range settings {
		opts += " -c " + s
	}
	run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start")
	t.Cleanup(func() { run("pg_ctl", "-D", data, "-m", "immediate", "stop") })
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
}

func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
