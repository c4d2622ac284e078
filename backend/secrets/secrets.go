// Package secrets keeps the app's passwords and keys (CRM connection
// passwords, OSS keys, FTP passwords) out of SQLite, out of logs and out of
// error reports. In: a key (e.g. "connection:prod") and a value. Out: the
// value back. Two modes:
//
//   - "keyring": the OS keyring (macOS Keychain, Windows Credential Manager,
//     the Secret Service on Linux), under the service name "batchdesk".
//   - "file": an encrypted file, secrets.enc in the data folder, for machines
//     with no keyring (headless Linux, CI). Values are sealed with
//     AES-256-GCM under a key derived by argon2id from a master passphrase,
//     taken from BATCHDESK_PASSPHRASE or asked once through a callback. The
//     passphrase and the key are never written anywhere; the random salt and
//     the argon2id parameters are in the file's header, and the names of the
//     secrets (not their values) are readable there so the app can show which
//     connections have a saved password without asking for the passphrase.
//
// Open chooses the mode: Options.Mode, else BATCHDESK_SECRETS ("keyring" or
// "file"), else the keyring when a quick probe (set, get and delete of a test
// item, with a short timeout) answers, else the file.
//
// What each mode protects against:
//
//   - keyring: other users of the computer, and theft of the disk or a
//     backup while the session is locked or the machine is off — the OS
//     unlocks the keyring with the user's login.
//   - file: theft of the disk or of a backup by anyone who does not know the
//     master passphrase. A wrong passphrase is refused, never decrypted into
//     garbage.
//   - neither protects against malware or a person running as the same user
//     while the session is unlocked (or, in file mode, while the passphrase
//     is in the environment): such a program can ask for the secrets just as
//     Batchdesk does.
//
// Errors: Get of a missing key returns *apperr.Error code NotFound wrapping
// ErrNotFound; a wrong passphrase returns code AuthFailed ("the secrets
// passphrase is wrong"); no passphrase available, or an unreadable file,
// returns code Invalid; a keyring that does not answer returns code
// Unavailable.
package secrets

import (
	"errors"
	"fmt"
	"os"
	"time"

	"batchdesk/backend/appdir"
	"batchdesk/backend/apperr"
)

// Modes.
const (
	ModeKeyring = "keyring"
	ModeFile    = "file"
)

// Service is the keyring service name every secret is stored under.
const Service = "batchdesk"

// FileName is the encrypted file's name inside the data folder.
const FileName = "secrets.enc"

// ErrNotFound is wrapped by Get's error when no secret has the key.
var ErrNotFound = errors.New("secret not found")

// PassphraseFunc asks the user for the master passphrase of the secrets file.
// newFile is true when the file does not exist yet (the caller may ask twice
// to confirm). It is called at most once per Store unless the file is
// replaced by another process.
type PassphraseFunc func(newFile bool) (string, error)

// Options configure Open. The zero value is usable: the data folder, the
// mode from BATCHDESK_SECRETS or the probe, the passphrase from
// BATCHDESK_PASSPHRASE only.
type Options struct {
	// Dir holds secrets.enc in file mode; "" means appdir.Home().
	Dir string
	// Mode forces ModeKeyring or ModeFile; "" means BATCHDESK_SECRETS, then
	// the probe.
	Mode string
	// Passphrase is asked when the file must be unlocked and
	// BATCHDESK_PASSPHRASE is not set; nil means "not available".
	Passphrase PassphraseFunc
	// ProbeTimeout bounds the keyring probe; 0 means 3 seconds.
	ProbeTimeout time.Duration
}

// backend is one storage mode.
type backend interface {
	get(key string) (string, error) // ErrNotFound when absent
	set(key, value string) error
	delete(key string) error // nil when absent
	has(key string) (bool, error)
}

// Store holds secrets in the chosen mode. It is safe for concurrent use.
type Store struct {
	mode string
	b    backend
}

// Open chooses the mode (see the package doc) and returns the store. In file
// mode nothing is decrypted, and no passphrase asked, until a secret is read
// or written.
func Open(opts Options) (*Store, error) {
	mode := opts.Mode
	if mode == "" {
		mode = os.Getenv("BATCHDESK_SECRETS")
	}
	timeout := opts.ProbeTimeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	switch mode {
	case ModeKeyring:
		if err := probeKeyring(timeout); err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable,
				"the OS keyring does not answer (%v): set BATCHDESK_SECRETS=file to use an encrypted file instead", err)
		}
		return &Store{mode: ModeKeyring, b: keyringBackend{}}, nil
	case ModeFile:
		return openFile(opts)
	case "":
		if probeKeyring(timeout) == nil {
			return &Store{mode: ModeKeyring, b: keyringBackend{}}, nil
		}
		return openFile(opts)
	default:
		return nil, apperr.New(apperr.Invalid, "BATCHDESK_SECRETS must be keyring or file, not %q", mode)
	}
}

func openFile(opts Options) (*Store, error) {
	dir := opts.Dir
	if dir == "" {
		home, err := appdir.Home()
		if err != nil {
			return nil, fmt.Errorf("secrets: %w", err)
		}
		dir = home
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secrets: create %s: %w", dir, err)
	}
	return &Store{mode: ModeFile, b: newFileBackend(dir, opts.Passphrase)}, nil
}

// Mode is ModeKeyring or ModeFile.
func (s *Store) Mode() string { return s.mode }

// Get returns the secret stored under key, or code NotFound.
func (s *Store) Get(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	v, err := s.b.get(key)
	if errors.Is(err, ErrNotFound) {
		return "", apperr.Wrap(ErrNotFound, apperr.NotFound, "no saved secret for %s", key)
	}
	return v, err
}

// Set stores value under key, replacing any previous value.
func (s *Store) Set(key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.b.set(key, value)
}

// Delete removes the secret stored under key; a missing key is not an error.
func (s *Store) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.b.delete(key)
}

// Has reports whether a secret is stored under key. In file mode it needs
// no passphrase.
func (s *Store) Has(key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	return s.b.has(key)
}

func checkKey(key string) error {
	if key == "" {
		return apperr.New(apperr.Invalid, "a secret needs a key")
	}
	return nil
}
