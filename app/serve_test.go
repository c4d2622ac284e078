package app

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// served starts browser mode over a new app (uploads into uploads, root as
// `serve --root`) and returns its base URL and token.
func served(t *testing.T, uploads, root string) (base, token string) {
	t.Helper()
	a := newApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, a.App, fstest.MapFS{"index.html": {Data: []byte("ok")}},
			ServeOptions{Addr: "127.0.0.1:0", UploadDir: uploads, Root: root}, pw)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	u, tok, ok := strings.Cut(strings.TrimSpace(line), "/?token=")
	if !ok {
		t.Fatalf("first line %q", line)
	}
	return u, tok
}

// apiCall posts a method call as the page does and returns status and body.
func apiCall(t *testing.T, base, token, method, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/"+method, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	req.AddCookie(&http.Cookie{Name: "batchdesk_token", Value: token})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestBrowserModeServesOnlyUIMethods(t *testing.T) {
	base, token := served(t, t.TempDir(), "")
	for _, m := range []string{"Shutdown", "SetEmitter", "SetDialogs", "UIReady", "UIStep", "shutdown", "bound"} {
		body := "[]"
		if m == "SetEmitter" || m == "SetDialogs" {
			body = "[null]"
		}
		if status, got := apiCall(t, base, token, m, body); status != http.StatusNotFound {
			t.Errorf("%s: %d %s, want 404", m, status, got)
		}
	}
	// The app still runs: Shutdown was not reachable.
	if status, got := apiCall(t, base, token, "Info", "[]"); status != 200 || !strings.Contains(got, `"mode":"browser"`) {
		t.Fatalf("Info: %d %s", status, got)
	}
}

func TestBrowserModeOpensOnlyAllowedFiles(t *testing.T) {
	uploads, root, outside := t.TempDir(), t.TempDir(), t.TempDir()
	csv := "Name\nAcme\n"
	for _, p := range []string{filepath.Join(uploads, "up-1", "a.csv"), filepath.Join(root, "sub", "b.csv"), filepath.Join(outside, "c.csv")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(uploads, "up-1", "link.csv")
	if err := os.Symlink(filepath.Join(outside, "c.csv"), link); err != nil {
		t.Fatal(err)
	}
	base, token := served(t, uploads, root)
	cases := []struct {
		name, method, body string
		status             int
	}{
		{"an uploaded file", "InspectFile", `[{"path":"` + filepath.Join(uploads, "up-1", "a.csv") + `"}]`, 200},
		{"a file below --root", "InspectFile", `[{"path":"` + filepath.Join(root, "sub", "b.csv") + `"}]`, 200},
		{"/etc/shadow", "InspectFile", `[{"path":"/etc/shadow"}]`, 403},
		{"/etc/passwd", "InspectFile", `[{"path":"/etc/passwd"}]`, 403},
		{"a file elsewhere", "InspectFile", `[{"path":"` + filepath.Join(outside, "c.csv") + `"}]`, 403},
		{"out of the uploads by ..", "InspectFile", `[{"path":"` + uploads + `/../` + filepath.Base(outside) + `/c.csv"}]`, 403},
		{"a link out of the uploads", "InspectFile", `[{"path":"` + link + `"}]`, 403},
		{"column values elsewhere", "ColumnValues", `[{"path":"/etc/passwd"},"Name",10]`, 403},
		{"an import of a file elsewhere", "StartValidate", `[{"connection":"sandbox","object":"Account","files":[{"path":"/etc/passwd"}],"mapping":{"object":"Account","mode":"insert","columns":{}}}]`, 403},
		{"a detail file elsewhere", "StartImport", `[{"connection":"sandbox","object":"Opportunity","files":[{"path":"` + filepath.Join(uploads, "up-1", "a.csv") + `"}],"mapping":{"object":"Opportunity","mode":"insert","columns":{}},"details":[{"object":"OpportunityLine","files":[{"path":"/etc/passwd"}],"mapping":{"object":"OpportunityLine","mode":"insert","columns":{}}}]}]`, 403},
		{"a sandbox file elsewhere", "ListObjects", `["sandbox:` + filepath.Join(outside, "x.db") + `"]`, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, got := apiCall(t, base, token, c.method, c.body)
			if status != c.status {
				t.Fatalf("%d %s, want %d", status, got, c.status)
			}
			if status == 403 && !strings.Contains(got, `"code":"forbidden"`) {
				t.Fatalf("body %s", got)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(outside, "x.db")); !os.IsNotExist(err) {
		t.Fatalf("a sandbox file was created outside the allowed folders: %v", err)
	}
}

func TestSurface(t *testing.T) {
	want := map[string]string{
		"connections":  "AddConnection CopyToSandbox DescribeObject ListConnections ListObjects RemoveConnection TestConnection",
		"delete":       "GetDeleteBackup PreviewDelete RestoreDelete SampleDelete ScheduleDelete StartDelete",
		"destinations": "AddDestination ListDestinations PickFolder RemoveDestination TestDestination UpdateDestination",
		"export":       "CountExport ExportJob FilterFromJSON FilterFromText ShowFolder StartExport",
		"schedules":    "ListSchedules LocalZone PauseSchedule PreviewSpec RemoveSchedule ResumeSchedule RunScheduleNow ScheduleExport UpdateSchedule",
		"import":       "ColumnValues GetProblems GuessObject InspectFile PickFiles StartImport StartRehearse StartValidate SuggestMapping",
		"jobs":         "CancelJob GetJob ListJobs RestartJob ResumeJob SaveErrorReport SaveObjectReport",
		"presets":      "DeletePreset ExportPreset GetPreset ImportPreset ListPresets RenamePreset SavePreset SaveTextFile",
		"records":      "RecordNames SearchRecords",
		"settings":     "GetSettings Info SaveSettings",
		"window":       "UIReady UIStep",
	}
	got := map[string]string{}
	for _, ar := range Surface() {
		got[ar.Name] = strings.Join(ar.Methods(), " ")
		if ar.WindowOnly != (ar.Name == "window") {
			t.Errorf("area %s window-only = %v", ar.Name, ar.WindowOnly)
		}
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("area %s: %s, want %s", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("areas %v, want %v", got, want)
	}
	a := newApp(t)
	if n := len(a.bound(false)); n != len(want)-1 {
		t.Errorf("HTTP binds %d areas, want %d", n, len(want)-1)
	}
	if n := len(a.bound(true)); n != len(want) {
		t.Errorf("the window binds %d areas, want %d", n, len(want))
	}
}
