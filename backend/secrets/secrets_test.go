package secrets

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"batchdesk/backend/apperr"

	"github.com/zalando/go-keyring"
)

// fastKDF makes argon2id cheap for the tests of this package.
func fastKDF(t *testing.T) {
	t.Helper()
	saved := kdfParams
	kdfParams.time, kdfParams.memoryKiB, kdfParams.threads = 1, 1024, 1
	t.Cleanup(func() { kdfParams = saved })
}

func fileStore(t *testing.T, dir, passphrase string) *Store {
	t.Helper()
	t.Setenv("BATCHDESK_PASSPHRASE", "")
	s, err := Open(Options{Dir: dir, Mode: ModeFile, Passphrase: func(bool) (string, error) { return passphrase, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFileRoundTrip(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	asked := 0
	t.Setenv("BATCHDESK_PASSPHRASE", "")
	s, err := Open(Options{Dir: dir, Mode: ModeFile, Passphrase: func(newFile bool) (string, error) {
		asked++
		if !newFile {
			t.Error("first ask should say the file is new")
		}
		return "correct horse", nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode() != ModeFile {
		t.Fatalf("mode %s", s.Mode())
	}
	// Reading from no file asks nothing.
	if _, err := s.Get("connection:prod"); !errors.Is(err, ErrNotFound) || apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("get before set: %v", err)
	}
	if asked != 0 {
		t.Fatalf("asked %d times before any secret existed", asked)
	}
	for k, v := range map[string]string{"connection:prod": "pa$$ wörd", "oss:nightly": "AKID/secret", "empty": ""} {
		if err := s.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if asked != 1 {
		t.Fatalf("asked %d times, want once", asked)
	}
	if err := s.Set("connection:prod", "new pass"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get("connection:prod"); err != nil || v != "new pass" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if ok, err := s.Has("oss:nightly"); !ok || err != nil {
		t.Fatalf("has = %v, %v", ok, err)
	}
	if err := s.Delete("oss:nightly"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("oss:nightly"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if ok, _ := s.Has("oss:nightly"); ok {
		t.Fatal("still there after delete")
	}
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %o, want 600", perm)
	}

	// A second store (another process) reads it with the passphrase from the
	// environment; Has needs no passphrase at all.
	t.Setenv("BATCHDESK_PASSPHRASE", "")
	locked, _ := Open(Options{Dir: dir, Mode: ModeFile})
	if ok, err := locked.Has("connection:prod"); !ok || err != nil {
		t.Fatalf("has without passphrase = %v, %v", ok, err)
	}
	if _, err := locked.Get("connection:prod"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("get without passphrase: %v", err)
	}
	t.Setenv("BATCHDESK_PASSPHRASE", "correct horse")
	other, _ := Open(Options{Dir: dir, Mode: ModeFile})
	if v, err := other.Get("connection:prod"); err != nil || v != "new pass" {
		t.Fatalf("other store get = %q, %v", v, err)
	}
	if v, err := other.Get("empty"); err != nil || v != "" {
		t.Fatalf("empty value = %q, %v", v, err)
	}
}

func TestFileWrongPassphrase(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	if err := fileStore(t, dir, "right").Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	wrong := fileStore(t, dir, "wrong")
	_, err := wrong.Get("k")
	if apperr.CodeOf(err) != apperr.AuthFailed || apperr.MessageOf(err) != "the secrets passphrase is wrong" {
		t.Fatalf("get with wrong passphrase: %v (code %s)", err, apperr.CodeOf(err))
	}
	if err := wrong.Set("k2", "v2"); apperr.CodeOf(err) != apperr.AuthFailed {
		t.Fatalf("set with wrong passphrase must not overwrite the file: %v", err)
	}
	if v, err := fileStore(t, dir, "right").Get("k"); err != nil || v != "v" {
		t.Fatalf("file damaged by a wrong passphrase: %q %v", v, err)
	}
}

func TestFileTamperedHeader(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	if err := fileStore(t, dir, "right").Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	raw, _ := os.ReadFile(path)
	raw = bytes.Replace(raw, []byte(`"k"`), []byte(`"x"`), 1) // rename a key in the clear header
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(t, dir, "right").Get("x"); apperr.CodeOf(err) != apperr.AuthFailed {
		t.Fatalf("tampered header accepted: %v", err)
	}
	if err := os.WriteFile(path, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(t, dir, "right").Has("k"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("garbage file: %v", err)
	}
}

func TestFileHasNoPlaintext(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	const secret = "Hunter2-unique-9f3a"
	const passphrase = "my master passphrase"
	if err := fileStore(t, dir, passphrase).Set("connection:prod", secret); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{secret, passphrase,
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.StdEncoding.EncodeToString([]byte(passphrase))} {
		if bytes.Contains(raw, []byte(needle)) {
			t.Fatalf("secrets file contains %q in the clear:\n%s", needle, raw)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left-over temporary files: %v", entries)
	}
}

func TestEmptyPassphraseRefused(t *testing.T) {
	fastKDF(t)
	s := fileStore(t, t.TempDir(), "")
	if err := s.Set("k", "v"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("empty passphrase: %v", err)
	}
}

func TestKeyringMode(t *testing.T) {
	keyring.MockInit()
	t.Setenv("BATCHDESK_SECRETS", "")
	s, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode() != ModeKeyring {
		t.Fatalf("mode %s with a working keyring", s.Mode())
	}
	if _, err := s.Get("connection:prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get missing: %v", err)
	}
	if err := s.Set("connection:prod", "pw"); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get(Service, "connection:prod"); err != nil || v != "pw" {
		t.Fatalf("not in the keyring under %q: %q %v", Service, v, err)
	}
	if v, err := s.Get("connection:prod"); err != nil || v != "pw" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if ok, _ := s.Has("connection:prod"); !ok {
		t.Fatal("has = false")
	}
	if err := s.Delete("connection:prod"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("connection:prod"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if ok, _ := s.Has("connection:prod"); ok {
		t.Fatal("has after delete")
	}
}

func TestModeChoice(t *testing.T) {
	tests := []struct {
		name     string
		keyringE error // nil = a working keyring
		env      string
		want     string // mode, or "" for an error
		code     string
	}{
		{"probe ok", nil, "", ModeKeyring, ""},
		{"probe fails", errors.New("no D-Bus"), "", ModeFile, ""},
		{"forced file", nil, "file", ModeFile, ""},
		{"forced keyring ok", nil, "keyring", ModeKeyring, ""},
		{"forced keyring broken", errors.New("no D-Bus"), "keyring", "", apperr.Unavailable},
		{"unknown", nil, "vault", "", apperr.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.keyringE == nil {
				keyring.MockInit()
			} else {
				keyring.MockInitWithError(tc.keyringE)
			}
			t.Setenv("BATCHDESK_SECRETS", tc.env)
			s, err := Open(Options{Dir: t.TempDir()})
			if tc.want == "" {
				if apperr.CodeOf(err) != tc.code {
					t.Fatalf("want code %s, got %v", tc.code, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Mode() != tc.want {
				t.Fatalf("mode %s, want %s", s.Mode(), tc.want)
			}
		})
	}
}
