package destinations

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination/sftp"
	"batchdesk/backend/destination/sftp/sftptest"
	"batchdesk/backend/store"
)

// TestUpdateAcceptsAChangedHostKeyOnlyByItsFingerprint: after an SFTP
// server's key changed, editing the destination replaces the pinned key
// only when the user accepts the new key's fingerprint — not by saving
// without accepting, not with another fingerprint (a key that changed
// again since it was shown) — and the destination works again.
func TestUpdateAcceptsAChangedHostKeyOnlyByItsFingerprint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hostKey, _ := sftptest.NewSigner(t)
	srv := sftptest.Start(t, hostKey, "pa55 word", nil)
	fp := sftp.Fingerprint(hostKey.PublicKey())
	url := "sftp://" + sftptest.User + "@127.0.0.1:" + strconv.Itoa(srv.Port) + "/" + filepath.Join(f.dir, "remote")
	if _, err := f.svc.Add(ctx, Input{Name: "box", URL: url, Password: "pa55 word", AcceptFingerprint: fp}); err != nil {
		t.Fatal(err)
	}
	// The pinned key is another one: to Batchdesk, the server's key changed.
	other, _ := sftptest.NewSigner(t)
	oldFP := sftp.Fingerprint(other.PublicKey())
	if err := f.st.PutKnownHost(ctx, store.KnownHost{Host: "127.0.0.1", Port: srv.Port, Key: sftp.MarshalKey(other.PublicKey()), Fingerprint: oldFP}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.svc.Test(ctx, "box"), apperr.Conflict)
	pinned := func() string {
		t.Helper()
		k, err := f.st.GetKnownHost(ctx, "127.0.0.1", srv.Port)
		if err != nil {
			t.Fatal(err)
		}
		return k.Fingerprint
	}

	// Saved without accepting: refused with the new fingerprint, the old key kept.
	_, err := f.svc.Update(ctx, "box", Input{URL: url})
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(err.Error(), fp) || pinned() != oldFP {
		t.Fatalf("without accepting: %v, pinned %s", err, pinned())
	}
	// Accepting a fingerprint the server does not show: refused, nothing changed.
	_, err = f.svc.Update(ctx, "box", Input{URL: url, AcceptFingerprint: oldFP})
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(err.Error(), fp) || pinned() != oldFP {
		t.Fatalf("another fingerprint: %v, pinned %s", err, pinned())
	}
	// Accepting the new key's fingerprint: pinned, the secret kept, the test passes.
	d, err := f.svc.Update(ctx, "box", Input{URL: url, AcceptFingerprint: fp})
	if err != nil || d.HostKey != fp || !d.HasSecret || pinned() != fp {
		t.Fatalf("accepted: %+v %v, pinned %s", d, err, pinned())
	}
	if err := f.svc.Test(ctx, "box"); err != nil {
		t.Fatal(err)
	}
	// Only an SFTP destination has a host key to accept.
	_, err = f.svc.Add(ctx, Input{Name: "out", URL: filepath.Join(f.dir, "out"), AcceptFingerprint: fp})
	wantCode(t, err, apperr.Invalid)
}
