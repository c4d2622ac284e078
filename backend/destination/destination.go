// Package destination says what an export writes to: a named stream that is
// published whole or not at all. Implementations live in one package per
// backend — destination/local, destination/oss, destination/ftp,
// destination/sftp — and the saved destinations (settings in the store,
// secrets in the keyring) in package destinations.
//
// In: a file name relative to the destination's folder or prefix and a
// reader with its bytes. Out: a Published record, or an error and nothing at
// the final name (a partial upload is removed or never renamed into place).
//
// Errors are *apperr.Error: Invalid (bad settings), AuthFailed (login or
// keys refused), Unavailable (host unreachable, bucket or folder missing,
// TLS refused), Conflict (an SFTP host key that changed); messages never
// hold a password or key.
package destination

import (
	"context"
	"io"
)

// Destination takes an export's files.
type Destination interface {
	// Put streams r to name and publishes it whole: on error nothing is
	// left at name. name uses "/" and is relative to the destination's
	// folder or prefix.
	Put(ctx context.Context, name string, r io.Reader) (Published, error)
	// Test writes and removes a small probe file, to check settings and
	// permissions before a job depends on them.
	Test(ctx context.Context) error
	// Describe names the destination for people and logs (no secrets),
	// e.g. "ftp://me@files.example:21/exports".
	Describe() string
	// Close releases connections.
	Close() error
}

// Published is a file that reached its destination.
type Published struct {
	Name     string `json:"name"`     // as given to Put
	Location string `json:"location"` // full path or URL, without secrets
	Bytes    int64  `json:"bytes"`    // checked against what the destination holds
}
