// Package workspace opens the app's services in their data folder — the
// store, the secrets, saved connections and destinations — once, for the window, the HTTP
// server and the command line alike.
//
// In: the data folder (appdir.Home) and an optional passphrase prompt for the
// encrypted secrets file. Out: a *Workspace; errors from the store (a database
// newer than this program, an unwritable folder) are returned as they are.
package workspace

import (
	"fmt"
	"path/filepath"
	"sync"

	"batchdesk/backend/appdir"
	"batchdesk/backend/connections"
	"batchdesk/backend/destinations"
	"batchdesk/backend/secrets"
	"batchdesk/backend/store"
)

// StoreFile is the app's SQLite file inside the data folder.
const StoreFile = "batchdesk.db"

// Workspace holds the open services.
type Workspace struct {
	Home    string
	Store   *store.Store
	Secrets *secrets.Store
	Conns   *connections.Service
	Dests   *destinations.Service
}

// Options tune Open.
type Options struct {
	// Passphrase asks for the secrets-file passphrase (nil: only
	// BATCHDESK_PASSPHRASE is used).
	Passphrase secrets.PassphraseFunc
}

// Open opens the workspace in the data folder.
func Open(opts Options) (*Workspace, error) {
	home, err := appdir.Home()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(home, StoreFile))
	if err != nil {
		return nil, fmt.Errorf("open the app's database: %w", err)
	}
	sec, err := secrets.Open(secrets.Options{Dir: home, Passphrase: opts.Passphrase})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &Workspace{Home: home, Store: st, Secrets: sec, Conns: connections.New(st, sec), Dests: destinations.New(st, sec)}, nil
}

// Close releases the store.
func (w *Workspace) Close() error { return w.Store.Close() }

// Lazy opens the workspace on first use, so commands that need none of it
// (inspect, --help) never touch the data folder.
type Lazy struct {
	Options Options
	once    sync.Once
	ws      *Workspace
	err     error
}

// Get opens the workspace once and returns it.
func (l *Lazy) Get() (*Workspace, error) {
	l.once.Do(func() { l.ws, l.err = Open(l.Options) })
	return l.ws, l.err
}

// Close closes the workspace if it was opened.
func (l *Lazy) Close() {
	if l.ws != nil {
		_ = l.ws.Close()
	}
}
