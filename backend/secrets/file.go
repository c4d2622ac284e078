package secrets

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"batchdesk/backend/apperr"

	"golang.org/x/crypto/argon2"
)

// fileFormat names the file so a stray JSON file is not mistaken for one.
const fileFormat = "batchdesk-secrets"

// kdfParams are argon2id's cost parameters for new files (RFC 9106's
// second recommended option). Existing files keep the parameters in their
// header. Tests lower them.
var kdfParams = struct {
	time, memoryKiB uint32
	threads         uint8
}{time: 3, memoryKiB: 64 * 1024, threads: 4}

// header is the authenticated, unencrypted part of the file. Its JSON
// encoding is the AEAD's additional data, so changing any of it (a key name,
// the salt, the cost) makes decryption fail.
type header struct {
	Format    string   `json:"format"`
	Version   int      `json:"version"`
	KDF       string   `json:"kdf"`
	Time      uint32   `json:"time"`
	MemoryKiB uint32   `json:"memoryKiB"`
	Threads   uint8    `json:"threads"`
	Salt      []byte   `json:"salt"`
	Keys      []string `json:"keys"` // names of the secrets, sorted; never values
}

// envelope is the whole file.
type envelope struct {
	header
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"` // AES-256-GCM of the JSON map key→value
}

// fileBackend keeps every secret in one sealed file, rewritten atomically on
// each change.
type fileBackend struct {
	path   string
	askFn  PassphraseFunc
	mu     sync.Mutex
	key    []byte // derived key, memory only
	saltOf []byte // the salt key was derived with
}

func newFileBackend(dir string, ask PassphraseFunc) *fileBackend {
	return &fileBackend{path: filepath.Join(dir, FileName), askFn: ask}
}

// passphrase returns BATCHDESK_PASSPHRASE or asks the callback.
func (f *fileBackend) passphrase(newFile bool) (string, error) {
	if p := os.Getenv("BATCHDESK_PASSPHRASE"); p != "" {
		return p, nil
	}
	if f.askFn == nil {
		return "", apperr.New(apperr.Invalid,
			"the secrets file %s needs its passphrase: set BATCHDESK_PASSPHRASE", f.path)
	}
	p, err := f.askFn(newFile)
	if err != nil {
		return "", fmt.Errorf("ask the secrets passphrase: %w", err)
	}
	if p == "" {
		return "", apperr.New(apperr.Invalid, "the secrets passphrase cannot be empty")
	}
	return p, nil
}

// keyFor returns the key for h's salt and cost, deriving it (and asking the
// passphrase) only when the cached key was made with another salt.
func (f *fileBackend) keyFor(h header, newFile bool) ([]byte, error) {
	if f.key != nil && bytes.Equal(f.saltOf, h.Salt) {
		return f.key, nil
	}
	p, err := f.passphrase(newFile)
	if err != nil {
		return nil, err
	}
	key := argon2.IDKey([]byte(p), h.Salt, h.Time, h.MemoryKiB, h.Threads, 32)
	return key, nil
}

// load reads the file. A missing file gives a nil header and an empty map.
// When decrypt is false only the header is read (no passphrase needed).
func (f *fileBackend) load(decrypt bool) (*header, map[string]string, error) {
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, map[string]string{}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read secrets file: %w", err)
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || env.Format != fileFormat {
		return nil, nil, apperr.New(apperr.Invalid, "%s is not a Batchdesk secrets file (or it is damaged)", f.path)
	}
	if env.Version != 1 || env.KDF != "argon2id" {
		return nil, nil, apperr.New(apperr.Invalid,
			"%s was written by a newer Batchdesk (format %d, %s): upgrade Batchdesk", f.path, env.Version, env.KDF)
	}
	if len(env.Salt) < 16 || env.Time == 0 || env.MemoryKiB < 8 || env.Threads == 0 || env.MemoryKiB > 4<<20 {
		return nil, nil, apperr.New(apperr.Invalid, "%s has a damaged header", f.path)
	}
	h := env.header
	if !decrypt {
		return &h, nil, nil
	}
	key, err := f.keyFor(h, false)
	if err != nil {
		return nil, nil, err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, nil, err
	}
	aad, err := json.Marshal(h)
	if err != nil {
		return nil, nil, fmt.Errorf("encode secrets header: %w", err)
	}
	if len(env.Nonce) != aead.NonceSize() {
		return nil, nil, apperr.New(apperr.Invalid, "%s has a damaged header", f.path)
	}
	plain, err := aead.Open(nil, env.Nonce, env.Ciphertext, aad)
	if err != nil {
		return nil, nil, apperr.Wrap(err, apperr.AuthFailed, "the secrets passphrase is wrong")
	}
	f.key, f.saltOf = key, h.Salt // remember only a key that opened the file
	m := map[string]string{}
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, nil, fmt.Errorf("decode secrets: %w", err)
	}
	return &h, m, nil
}

// save seals m under h (a new header with a fresh salt when h is nil) and
// replaces the file atomically.
func (f *fileBackend) save(h *header, m map[string]string) error {
	if h == nil {
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return fmt.Errorf("new salt: %w", err)
		}
		h = &header{Format: fileFormat, Version: 1, KDF: "argon2id",
			Time: kdfParams.time, MemoryKiB: kdfParams.memoryKiB, Threads: kdfParams.threads, Salt: salt}
		key, err := f.keyFor(*h, true)
		if err != nil {
			return err
		}
		f.key, f.saltOf = key, salt
	}
	h.Keys = make([]string, 0, len(m))
	for k := range m {
		h.Keys = append(h.Keys, k)
	}
	sort.Strings(h.Keys)
	aead, err := newAEAD(f.key)
	if err != nil {
		return err
	}
	aad, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode secrets header: %w", err)
	}
	plain, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode secrets: %w", err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("new nonce: %w", err)
	}
	out, err := json.MarshalIndent(envelope{header: *h, Nonce: nonce, Ciphertext: aead.Seal(nil, nonce, plain, aad)}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode secrets file: %w", err)
	}
	clear(plain)
	return writeAtomic(f.path, append(out, '\n'))
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secrets cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secrets cipher: %w", err)
	}
	return aead, nil
}

// writeAtomic writes data to a 0600 temporary file beside path, syncs it and
// renames it over path, so a crash leaves the old file or the new one.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	return nil
}

func (f *fileBackend) get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, err := f.peek()
	if err != nil {
		return "", err
	}
	if h == nil || !contains(h.Keys, key) {
		return "", ErrNotFound // nothing to decrypt: no passphrase asked
	}
	_, m, err := f.load(true)
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (f *fileBackend) set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, m, err := f.load(true)
	if err != nil {
		return err
	}
	m[key] = value
	return f.save(h, m)
}

func (f *fileBackend) delete(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, err := f.peek()
	if err != nil || h == nil || !contains(h.Keys, key) {
		return err
	}
	h, m, err := f.load(true)
	if err != nil {
		return err
	}
	delete(m, key)
	return f.save(h, m)
}

func (f *fileBackend) has(key string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, err := f.peek()
	if err != nil || h == nil {
		return false, err
	}
	return contains(h.Keys, key), nil
}

// peek reads only the header (nil when there is no file).
func (f *fileBackend) peek() (*header, error) {
	h, _, err := f.load(false)
	return h, err
}

func contains(sorted []string, s string) bool {
	i := sort.SearchStrings(sorted, s)
	return i < len(sorted) && sorted[i] == s
}
