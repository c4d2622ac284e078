// Package destinations manages saved export destinations over the app's
// store (the settings, and the SSH host keys the user accepted) and the
// secrets store (passwords, OSS access key secrets, key passphrases), and
// turns a DEST string into a destination.Destination.
//
// In: an Input (a name, a DEST URL or folder, and the secrets and flags that
// go with it) to Add; a DEST string to Resolve — a folder, oss://bucket/prefix,
// ftp://user@host[:port]/dir[?tls=explicit&epsv=off&verify=off],
// sftp://user@host[:port]/dir[?key=PATH&hostkey=SHA256:…], or a saved
// destination's name. For URLs that are not saved, the secrets come from the
// environment: BATCHDESK_OSS_ENDPOINT, BATCHDESK_OSS_REGION,
// BATCHDESK_OSS_ACCESS_KEY_ID, BATCHDESK_OSS_ACCESS_KEY_SECRET,
// BATCHDESK_FTP_PASSWORD, BATCHDESK_SFTP_PASSWORD,
// BATCHDESK_SFTP_KEY_PASSPHRASE.
//
// Out: Destination values for people (never with a secret), Describe strings
// for job history, and open destinations from Resolve.
//
// Secrets go to the secrets store under "destination:NAME" (the password or
// the access key secret) and "destination:NAME:passphrase"; the store's
// settings JSON never holds one.
//
// Errors are *apperr.Error: Invalid (bad name, URL or flag; an SFTP server
// whose key is not accepted yet, with its fingerprint), Conflict (duplicate
// name; an SFTP host key that changed), NotFound (unknown name), and what
// the destination packages return from Test.
package destinations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
	"batchdesk/backend/destination/sftp"
	"batchdesk/backend/store"
)

// Secrets is what the service needs of the secrets store (*secrets.Store).
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
	Has(key string) (bool, error)
}

// MaxNameRunes bounds a destination's name.
const MaxNameRunes = 64

// Input is a destination to add.
type Input struct {
	Name string `json:"name"`
	URL  string `json:"url"` // a DEST folder or URL (not a saved name)

	Password        string `json:"password,omitempty"`        // ftp, sftp: to the secrets store
	KeyFile         string `json:"keyFile,omitempty"`         // sftp: private key file (overrides ?key=)
	KeyPassphrase   string `json:"keyPassphrase,omitempty"`   // sftp: to the secrets store
	Endpoint        string `json:"endpoint,omitempty"`        // oss
	Region          string `json:"region,omitempty"`          // oss; "" = from the endpoint
	AccessKeyID     string `json:"accessKeyId,omitempty"`     // oss
	AccessKeySecret string `json:"accessKeySecret,omitempty"` // oss: to the secrets store
	// AcceptHostKey pins the SFTP server's current host key (first use, or
	// after the user checked a changed one).
	AcceptHostKey bool `json:"acceptHostKey,omitempty"`
	// AcceptFingerprint pins the server's host key only when its
	// fingerprint is this one ("SHA256:…", the one the window showed and
	// the user checked): a key that is new or changed again since is
	// refused with its fingerprint, and the pinned one stays.
	AcceptFingerprint string `json:"acceptFingerprint,omitempty"`
}

// Destination is a saved destination as people see it.
type Destination struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	URL         string `json:"url"`                   // DEST form, no secrets
	Endpoint    string `json:"endpoint,omitempty"`    // oss
	Region      string `json:"region,omitempty"`      // oss
	AccessKeyID string `json:"accessKeyId,omitempty"` // oss
	HasSecret   bool   `json:"hasSecret"`             // a password or key secret is stored
	HostKey     string `json:"hostKey,omitempty"`     // sftp: pinned SHA256 fingerprint
	CreatedAt   string `json:"createdAt,omitempty"`   // RFC 3339
}

// settings is the stored JSON of a destination: the Spec plus OSS's
// endpoint, region and key id. No secrets.
type settings struct {
	Spec
	Endpoint    string `json:"endpoint,omitempty"`
	Region      string `json:"region,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
}

// Service manages destinations. It is safe for concurrent use.
type Service struct {
	store   *store.Store
	secrets Secrets
	getenv  func(string) string
	// fetchHostKey reads an SFTP server's key (sftp.FetchHostKey).
	fetchHostKey func(ctx context.Context, host string, port int) (string, string, error)
}

// New returns a Service over the app's store and secrets.
func New(st *store.Store, sec Secrets) *Service {
	return &Service{store: st, secrets: sec, getenv: os.Getenv, fetchHostKey: fetchHostKey}
}

func fetchHostKey(ctx context.Context, host string, port int) (string, string, error) {
	k, err := sftp.FetchHostKey(ctx, host, port)
	if err != nil {
		return "", "", err
	}
	return sftp.MarshalKey(k), sftp.Fingerprint(k), nil
}

// SecretKey is the secrets-store key of a destination's password or access
// key secret.
func SecretKey(name string) string { return "destination:" + name }

// PassphraseKey is the secrets-store key of an SFTP key's passphrase.
func PassphraseKey(name string) string { return "destination:" + name + ":passphrase" }

// ValidateName checks a destination's name: it must not read as a URL or
// a folder path.
func ValidateName(name string) error {
	switch {
	case name == "":
		return apperr.New(apperr.Invalid, "a destination needs a name")
	case !utf8.ValidString(name):
		return apperr.New(apperr.Invalid, "the destination name is not valid text")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return apperr.New(apperr.Invalid, "the destination name is longer than %d characters", MaxNameRunes)
	case strings.TrimSpace(name) != name:
		return apperr.New(apperr.Invalid, "the destination name %q starts or ends with a space", name)
	case strings.ContainsAny(name, `/\:`) || name == "." || name == ".." || strings.HasPrefix(name, "~"):
		return apperr.New(apperr.Invalid, "the destination name %q would be read as a folder or URL: use letters, digits, spaces, '-', '_' or '.'", destination.Quote(name))
	case strings.ContainsFunc(name, unicode.IsControl):
		return apperr.New(apperr.Invalid, "the destination name %q contains a control character", destination.Quote(name))
	}
	return nil
}

// Add validates and saves a destination, its secrets going to the secrets
// store. For SFTP the server's host key is read and, with AcceptHostKey,
// pinned; without it an unknown key is refused showing its fingerprint.
func (s *Service) Add(ctx context.Context, in Input) (Destination, error) {
	name := strings.TrimSpace(in.Name)
	if err := ValidateName(name); err != nil {
		return Destination{}, err
	}
	if !IsURL(in.URL) && strings.TrimSpace(in.URL) != "" {
		if _, err := s.store.GetDestination(ctx, strings.TrimSpace(in.URL)); err == nil {
			return Destination{}, apperr.New(apperr.Invalid, "%q is a saved destination, not a folder or URL", destination.Quote(in.URL))
		}
	}
	sp, err := ParseSpec(in.URL)
	if err != nil {
		return Destination{}, err
	}
	body, secret, passphrase, err := s.settingsOf(ctx, name, sp, in)
	if err != nil {
		return Destination{}, err
	}
	saved, err := s.store.AddDestination(ctx, store.Destination{Name: name, Kind: sp.Kind, Settings: body})
	if err != nil {
		return Destination{}, err
	}
	if err := s.saveSecret(SecretKey(name), secret); err != nil {
		_ = s.store.DeleteDestination(ctx, name)
		return Destination{}, fmt.Errorf("save the secret of %q: %w", name, err)
	}
	if err := s.saveSecret(PassphraseKey(name), passphrase); err != nil {
		_ = s.store.DeleteDestination(ctx, name)
		_ = s.secrets.Delete(SecretKey(name))
		return Destination{}, fmt.Errorf("save the key passphrase of %q: %w", name, err)
	}
	return s.toDestination(ctx, saved)
}

// saveSecret stores v, or deletes a stale secret when v is empty.
func (s *Service) saveSecret(key, v string) error {
	if v == "" {
		return s.secrets.Delete(key)
	}
	return s.secrets.Set(key, v)
}

// settingsOf checks in for a destination called name at sp (its secrets,
// and for SFTP the host key, pinned on first use) and returns the settings
// to save and the secrets to keep in the keyring.
func (s *Service) settingsOf(ctx context.Context, name string, sp Spec, in Input) (body []byte, secret, passphrase string, err error) {
	st := settings{Spec: sp}
	if secret, passphrase, err = s.checkInput(ctx, &st, in); err != nil {
		return nil, "", "", err
	}
	if sp.Kind == KindSFTP && sp.HostKeyHash == "" {
		if err := s.pinHostKey(ctx, sp, in.AcceptHostKey, in.AcceptFingerprint); err != nil {
			return nil, "", "", err
		}
	}
	if body, err = json.Marshal(st); err != nil {
		return nil, "", "", fmt.Errorf("encode the settings of %q: %w", name, err)
	}
	return body, secret, passphrase, nil
}

// checkInput puts the kind's flags into st and returns the secrets.
func (s *Service) checkInput(ctx context.Context, st *settings, in Input) (secret, passphrase string, err error) {
	notFor := func(what string) error {
		return apperr.New(apperr.Invalid, "%s does not apply to a %s destination", what, st.Kind)
	}
	if st.Kind != KindOSS && (in.Endpoint != "" || in.Region != "" || in.AccessKeyID != "" || in.AccessKeySecret != "") {
		return "", "", notFor("--endpoint, --region and the access key")
	}
	if st.Kind != KindSFTP && (in.KeyFile != "" || in.KeyPassphrase != "" || in.AcceptHostKey || in.AcceptFingerprint != "") {
		return "", "", notFor("--key, its passphrase and --accept-host-key")
	}
	if st.Kind == KindLocal || st.Kind == KindOSS {
		if in.Password != "" {
			return "", "", notFor("a password")
		}
	}
	switch st.Kind {
	case KindLocal:
		abs, err := filepath.Abs(st.Folder)
		if err != nil {
			return "", "", apperr.Wrap(err, apperr.Invalid, "the folder %q cannot be used", destination.Quote(st.Folder))
		}
		st.Folder = abs
	case KindOSS:
		st.Endpoint, st.Region, st.AccessKeyID = strings.TrimSpace(in.Endpoint), strings.TrimSpace(in.Region), strings.TrimSpace(in.AccessKeyID)
		if st.Endpoint == "" || st.AccessKeyID == "" || in.AccessKeySecret == "" {
			return "", "", apperr.New(apperr.Invalid, "an OSS destination needs --endpoint, --access-key-id and the secret (--secret-stdin)")
		}
		return in.AccessKeySecret, "", nil
	case KindSFTP:
		if in.KeyFile != "" {
			st.KeyFile = in.KeyFile
		}
		if st.KeyFile != "" {
			abs, err := filepath.Abs(st.KeyFile)
			if err != nil {
				return "", "", apperr.Wrap(err, apperr.Invalid, "the key file %q cannot be used", destination.Quote(st.KeyFile))
			}
			st.KeyFile = abs
			if _, err := os.Stat(abs); err != nil {
				return "", "", apperr.Wrap(err, apperr.Invalid, "the key file %s cannot be read", abs)
			}
		}
		if st.KeyFile == "" && in.Password == "" {
			return "", "", apperr.New(apperr.Invalid, "an SFTP destination needs a password (--password-stdin) or a private key (--key FILE)")
		}
		return in.Password, in.KeyPassphrase, nil
	}
	return in.Password, "", nil
}

// pinHostKey reads the server's key; with accept, or acceptFP naming its
// fingerprint, it is pinned (replacing an older one), else an unknown or
// changed key is refused with its fingerprint.
func (s *Service) pinHostKey(ctx context.Context, sp Spec, accept bool, acceptFP string) error {
	port := portOr(sp.Port, sftp.DefaultPort)
	key, fp, err := s.fetchHostKey(ctx, sp.Host, port)
	if err != nil {
		return err
	}
	known, err := s.store.GetKnownHost(ctx, sp.Host, port)
	acceptFP = strings.TrimSpace(acceptFP)
	switch {
	case err == nil && known.Key == key:
		return nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	case acceptFP != "" && acceptFP != fp:
		return apperr.New(apperr.Conflict, "the host key of %s:%d changed again: it is not the %s you accepted but %s — nothing was changed; check the new fingerprint with the server's administrator",
			sp.Host, port, acceptFP, fp)
	case accept || acceptFP != "":
		return s.store.PutKnownHost(ctx, store.KnownHost{Host: sp.Host, Port: port, Key: key, Fingerprint: fp})
	case err == nil:
		return apperr.New(apperr.Conflict, "the host key of %s:%d changed: it was %s and is now %s — if the server was reinstalled, accept the new key: open the destination's Edit on the Destinations page to see and accept it, or on the command line remove the destination and add it again with --accept-host-key; otherwise someone may be intercepting the connection",
			sp.Host, port, known.Fingerprint, fp)
	}
	return apperr.New(apperr.Invalid, "the SFTP server %s:%d is not known yet: its host key is %s; check it with the server's administrator, then add again with --accept-host-key", sp.Host, port, fp)
}

func portOr(p, def int) int {
	if p == 0 {
		return def
	}
	return p
}

// List returns the saved destinations by name.
func (s *Service) List(ctx context.Context) ([]Destination, error) {
	saved, err := s.store.ListDestinations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Destination, 0, len(saved))
	for _, d := range saved {
		v, err := s.toDestination(ctx, d)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Get returns one saved destination, or NotFound.
func (s *Service) Get(ctx context.Context, name string) (Destination, error) {
	d, err := s.store.GetDestination(ctx, name)
	if err != nil {
		return Destination{}, err
	}
	return s.toDestination(ctx, d)
}

func (s *Service) toDestination(ctx context.Context, d store.Destination) (Destination, error) {
	st, err := decode(d)
	if err != nil {
		return Destination{}, err
	}
	has, err := s.secrets.Has(SecretKey(d.Name))
	if err != nil {
		return Destination{}, fmt.Errorf("check the secret of %q: %w", d.Name, err)
	}
	out := Destination{Name: d.Name, Kind: d.Kind, URL: st.Spec.String(), Endpoint: st.Endpoint, Region: st.Region,
		AccessKeyID: st.AccessKeyID, HasSecret: has}
	if !d.CreatedAt.IsZero() {
		out.CreatedAt = d.CreatedAt.UTC().Format(time.RFC3339)
	}
	if st.Kind == KindSFTP {
		out.HostKey = st.HostKeyHash
		if k, err := s.store.GetKnownHost(ctx, st.Host, portOr(st.Port, sftp.DefaultPort)); err == nil && out.HostKey == "" {
			out.HostKey = k.Fingerprint
		}
	}
	return out, nil
}

func decode(d store.Destination) (settings, error) {
	var st settings
	if err := json.Unmarshal(d.Settings, &st); err != nil {
		return settings{}, fmt.Errorf("read the settings of destination %q: %w", d.Name, err)
	}
	st.Kind = d.Kind
	return st, nil
}

// Remove deletes a saved destination and its secrets (pinned host keys
// stay: they belong to the server, not the destination).
func (s *Service) Remove(ctx context.Context, name string) error {
	if err := s.store.DeleteDestination(ctx, name); err != nil {
		return err
	}
	if err := s.secrets.Delete(SecretKey(name)); err != nil {
		return fmt.Errorf("delete the secret of %q: %w", name, err)
	}
	if err := s.secrets.Delete(PassphraseKey(name)); err != nil {
		return fmt.Errorf("delete the key passphrase of %q: %w", name, err)
	}
	return nil
}

// Test opens a saved destination (or any DEST), writes and removes a probe
// file, and returns what failed in plain words.
func (s *Service) Test(ctx context.Context, spec string) error {
	d, err := s.Resolve(ctx, spec)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Test(ctx)
}

// Update changes the saved destination name to in. in.Name is its new name
// ("" keeps it; a taken one gives Conflict). A secret left empty in in
// (Password, AccessKeySecret, KeyPassphrase) keeps the stored one while the
// kind stays the same, so an edit never asks for it again; a typed one
// replaces it. A new kind starts with no stored secret: it needs the one
// its kind needs, as Add does, and the old kind's secrets go. An SFTP
// server that is new to the destination has its host key checked as in
// Add. Unknown name: NotFound.
func (s *Service) Update(ctx context.Context, name string, in Input) (Destination, error) {
	old, err := s.store.GetDestination(ctx, name)
	if err != nil {
		return Destination{}, err
	}
	newName := strings.TrimSpace(in.Name)
	if newName == "" {
		newName = old.Name
	}
	if err := ValidateName(newName); err != nil {
		return Destination{}, err
	}
	if newName != old.Name {
		if _, err := s.store.GetDestination(ctx, newName); err == nil {
			return Destination{}, apperr.New(apperr.Conflict, "a destination named %q already exists", newName)
		} else if !errors.Is(err, store.ErrNotFound) {
			return Destination{}, err
		}
	}
	if v := strings.TrimSpace(in.URL); v != "" && !IsURL(v) {
		if _, err := s.store.GetDestination(ctx, v); err == nil {
			return Destination{}, apperr.New(apperr.Invalid, "%q is a saved destination, not a folder or URL", destination.Quote(in.URL))
		}
	}
	sp, err := ParseSpec(in.URL)
	if err != nil {
		return Destination{}, err
	}
	if sp.Kind == old.Kind {
		// Fill the secrets left empty with the stored ones, so that the
		// checks below (an SFTP server needs a password or a key) see them.
		stored := fromStore{sec: s.secrets, name: old.Name}
		switch sp.Kind {
		case KindOSS:
			if in.AccessKeySecret == "" {
				if in.AccessKeySecret, err = stored.secret(sp.Kind); err != nil {
					return Destination{}, fmt.Errorf("read the secret of %q: %w", old.Name, err)
				}
			}
		case KindFTP, KindSFTP:
			if in.Password == "" {
				if in.Password, err = stored.secret(sp.Kind); err != nil {
					return Destination{}, fmt.Errorf("read the secret of %q: %w", old.Name, err)
				}
			}
		}
		if sp.Kind == KindSFTP && in.KeyPassphrase == "" && (sp.KeyFile != "" || in.KeyFile != "") {
			if in.KeyPassphrase, err = stored.passphrase(); err != nil {
				return Destination{}, fmt.Errorf("read the key passphrase of %q: %w", old.Name, err)
			}
		}
	}
	body, secret, passphrase, err := s.settingsOf(ctx, newName, sp, in)
	if err != nil {
		return Destination{}, err
	}
	if newName == old.Name {
		if err := s.store.UpdateDestination(ctx, store.Destination{Name: old.Name, Kind: sp.Kind, Settings: body}); err != nil {
			return Destination{}, err
		}
		if err := s.saveSecret(SecretKey(old.Name), secret); err != nil {
			return Destination{}, fmt.Errorf("save the secret of %q: %w", old.Name, err)
		}
		if err := s.saveSecret(PassphraseKey(old.Name), passphrase); err != nil {
			return Destination{}, fmt.Errorf("save the key passphrase of %q: %w", old.Name, err)
		}
		return s.Get(ctx, old.Name)
	}
	// A rename: the new one is saved with its secrets before the old one
	// and its secrets go, so a failure leaves at least one usable.
	if _, err := s.store.AddDestination(ctx, store.Destination{Name: newName, Kind: sp.Kind, Settings: body}); err != nil {
		return Destination{}, err
	}
	if err := s.saveSecret(SecretKey(newName), secret); err != nil {
		_ = s.store.DeleteDestination(ctx, newName)
		return Destination{}, fmt.Errorf("save the secret of %q: %w", newName, err)
	}
	if err := s.saveSecret(PassphraseKey(newName), passphrase); err != nil {
		_ = s.store.DeleteDestination(ctx, newName)
		_ = s.secrets.Delete(SecretKey(newName))
		return Destination{}, fmt.Errorf("save the key passphrase of %q: %w", newName, err)
	}
	if err := s.Remove(ctx, old.Name); err != nil {
		return Destination{}, err
	}
	return s.Get(ctx, newName)
}
