package imports

import (
	"os"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/store"
)

// Messages the window shows too name the setting, never a command-line
// flag: the command line puts its flag before them (apperr.SettingOf).
func TestMessagesNameTheSetting(t *testing.T) {
	os.Unsetenv("PGPASSWORD")
	big := writeFile(t, "big.csv", "Name\n"+strings.Repeat("x", 2<<20)+"\n")
	_, sizeErr := source.Open(big, source.Options{MaxBytes: 1 << 20})
	_, headerErr := ReadHeader(big, source.Format{}, 1)
	done := store.Job{ID: "j1", Status: store.StatusDone}
	cases := []struct {
		name    string
		err     error
		setting string
	}{
		{"restart of a finished insert", restartRefusal(done, Request{Mapping: mapping.Mapping{Mode: mapping.Insert}}, 5), SettingFailedOnly},
		{"password needed", needsPassword(apperr.New(apperr.AuthFailed, "wrong password"), "j1", "resume", "postgres://ann@db/crm", ""), SettingCRM},
		{"file too large", FileError(big, sizeErr), SettingMaxFileMB},
		{"header of a file too large", headerErr, SettingMaxFileMB},
		{"a bad detail", func() error { _, _, err := splitDetail("lines.csv"); return err }(), SettingDetails},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error")
			}
			if msg := apperr.MessageOf(c.err); strings.Contains(msg, "--") {
				t.Errorf("message names a flag: %s", msg)
			}
			if got := apperr.SettingOf(c.err); got != c.setting {
				t.Errorf("setting %q, want %q", got, c.setting)
			}
		})
	}
}
