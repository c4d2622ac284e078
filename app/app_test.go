package app

import (
	"encoding/json"
	"errors"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/connections"
	"batchdesk/backend/pgtest"
	"batchdesk/backend/workspace"
)

// testApp is the app with every area of its surface, so a test calls any
// bound method on one value.
type testApp struct {
	*App
	*SettingsAPI
	*ConnectionsAPI
	*ImportAPI
	*JobsAPI
	*PresetsAPI
}

// surface wraps a with its areas.
func surface(a *App) *testApp {
	return &testApp{App: a, SettingsAPI: &SettingsAPI{a}, ConnectionsAPI: &ConnectionsAPI{a},
		ImportAPI: &ImportAPI{a}, JobsAPI: &JobsAPI{a}, PresetsAPI: &PresetsAPI{a}}
}

func newApp(t *testing.T) *testApp {
	t.Helper()
	t.Setenv("BATCHDESK_HOME", t.TempDir())
	t.Setenv("BATCHDESK_SECRETS", "file")
	t.Setenv("BATCHDESK_PASSPHRASE", "app-test")
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return surface(New(ws, Options{Version: "test", Mode: "browser"}))
}

// wantCode checks that err crossed the boundary as JSON with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got nil", code)
	}
	var body struct{ Code, Message string }
	if jerr := json.Unmarshal([]byte(err.Error()), &body); jerr != nil {
		t.Fatalf("error text is not JSON: %q", err.Error())
	}
	if body.Code != code || body.Message == "" {
		t.Fatalf("got %+v, want code %s", body, code)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error does not unwrap to apperr %s: %v", code, err)
	}
}

func TestInfoAndSettings(t *testing.T) {
	a := newApp(t)
	info, err := a.Info()
	if err != nil || info.Mode != "browser" || info.SecretsMode != "file" || info.StartFiles == nil {
		t.Fatalf("Info = %+v, %v", info, err)
	}
	s, err := a.GetSettings()
	if err != nil || s.Language != "en" || s.MaxFileMB != 100 || s.BatchSize != 5000 {
		t.Fatalf("defaults = %+v, %v", s, err)
	}
	s, err = a.SaveSettings(Settings{Language: "zh", MaxFileMB: 200, BatchSize: 1000})
	if err != nil || s.Language != "zh" || s.MaxFileMB != 200 || s.BatchSize != 1000 {
		t.Fatalf("saved = %+v, %v", s, err)
	}
	_, err = a.SaveSettings(Settings{Language: "fr", MaxFileMB: 1, BatchSize: 1})
	wantCode(t, err, apperr.Invalid)
}

func TestSandboxObjects(t *testing.T) {
	a := newApp(t)
	objs, err := a.ListObjects("sandbox")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, o := range objs {
		names[o.APIName] = true
	}
	for _, want := range []string{"Account", "Contact", "Product", "Opportunity", "OpportunityLine"} {
		if !names[want] {
			t.Errorf("sandbox lacks %s: %v", want, names)
		}
	}
	acc, err := a.DescribeObject("sandbox", "Account")
	if err != nil || acc.LabelZH != "客户" {
		t.Fatalf("Account = %+v, %v", acc.LabelZH, err)
	}
	_, err = a.DescribeObject("sandbox", "Nope")
	wantCode(t, err, apperr.NotFound)
	_, err = a.ListObjects("no-such-connection")
	wantCode(t, err, apperr.NotFound)
}

func TestConnectionsRoundTrip(t *testing.T) {
	a := newApp(t)
	dsn := pgtest.NewDatabase(t)
	c, err := a.AddConnection(connections.Input{Name: "test pg", DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "test pg" || c.Kind != "postgres" {
		t.Fatalf("added %+v", c)
	}
	_, err = a.AddConnection(connections.Input{Name: "test pg", DSN: dsn})
	wantCode(t, err, apperr.Conflict)
	r, err := a.TestConnection("test pg")
	if err != nil || !r.OK {
		t.Fatalf("test = %+v, %v", r, err)
	}
	list, err := a.ListConnections()
	if err != nil || len(list) != 2 || !list[0].BuiltIn {
		t.Fatalf("list = %+v, %v", list, err)
	}
	wantCode(t, a.RemoveConnection("sandbox"), apperr.Conflict)
	if err := a.RemoveConnection("test pg"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, a.RemoveConnection("test pg"), apperr.NotFound)
}

func TestFailKeepsCodes(t *testing.T) {
	if fail(nil) != nil {
		t.Fatal("fail(nil) must be nil")
	}
	wantCode(t, fail(errors.New("disk on fire")), apperr.Internal)
	wantCode(t, fail(apperr.New(apperr.TooLarge, "too big")), apperr.TooLarge)
}
