// Package appdir locates the app's own data folder: $BATCHDESK_HOME when set,
// otherwise "batchdesk" inside the OS user config folder (on Linux
// ~/.config/batchdesk). The store, the sandbox CRM, uploads, error reports and
// backups all live below it.
package appdir

import (
	"fmt"
	"os"
	"path/filepath"
)

// Home returns the data folder, creating it (0700) if needed.
func Home() (string, error) {
	dir := os.Getenv("BATCHDESK_HOME")
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find the user config folder (set BATCHDESK_HOME): %w", err)
		}
		dir = filepath.Join(base, "batchdesk")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create data folder %s: %w", dir, err)
	}
	return dir, nil
}

// Sub returns a sub-folder of the data folder (e.g. "uploads", "reports"),
// creating it if needed.
func Sub(name string) (string, error) {
	home, err := Home()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(home, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return dir, nil
}

// SandboxPath is the built-in sandbox CRM's SQLite file.
func SandboxPath() (string, error) {
	home, err := Home()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "sandbox.db"), nil
}
