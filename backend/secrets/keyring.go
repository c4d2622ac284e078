package secrets

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// keyringBackend stores each secret as one item of the OS keyring.
type keyringBackend struct{}

func (keyringBackend) get(key string) (string, error) {
	v, err := keyring.Get(Service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read %s from the keyring: %w", key, err)
	}
	return v, nil
}

func (keyringBackend) set(key, value string) error {
	if err := keyring.Set(Service, key, value); err != nil {
		return fmt.Errorf("save %s in the keyring: %w", key, err)
	}
	return nil
}

func (keyringBackend) delete(key string) error {
	err := keyring.Delete(Service, key)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("delete %s from the keyring: %w", key, err)
	}
	return nil
}

func (b keyringBackend) has(key string) (bool, error) {
	_, err := b.get(key)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// probeKeyring checks the keyring works end to end — set, get and delete of
// a throwaway item — within timeout. Headless Linux without D-Bus fails at
// once; a locked keyring that would prompt is cut off by the timeout.
func probeKeyring(timeout time.Duration) error {
	done := make(chan error, 1)
	go func() {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		key := "probe-" + hex.EncodeToString(b)
		if err := keyring.Set(Service, key, "probe"); err != nil {
			done <- err
			return
		}
		v, err := keyring.Get(Service, key)
		_ = keyring.Delete(Service, key)
		if err == nil && v != "probe" {
			err = errors.New("the keyring returned a different value")
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("no answer within %s", timeout)
	}
}
