package service

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// calls records the service-manager commands instead of running them.
type calls struct {
	got  []string
	fail map[string]bool // command prefixes that fail
}

func (c *calls) run(_ context.Context, name string, args ...string) (string, error) {
	line := name + " " + strings.Join(args, " ")
	c.got = append(c.got, line)
	for p := range c.fail {
		if strings.HasPrefix(line, p) {
			return "Failed to connect to bus: No medium found", errors.New("exit status 1")
		}
	}
	return "", nil
}

func TestSystemdUnit(t *testing.T) {
	o := Options{Exe: "/opt/Batch Desk/batchdesk", Home: `/home/me/100% "customers"`}
	want := `# Written by ` + "`batchdesk scheduler --install`; removed by `batchdesk scheduler --uninstall`" + `.
[Unit]
Description=Batchdesk scheduler: runs scheduled exports and deletes
After=network-online.target

[Service]
Type=simple
ExecStart="/opt/Batch Desk/batchdesk" scheduler
Environment="BATCHDESK_HOME=/home/me/100%% \"customers\""
Restart=on-failure
RestartSec=30

[Install]
WantedBy=default.target
`
	if got := SystemdUnit(o); got != want {
		t.Fatalf("unit:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(SystemdUnit(Options{Exe: "/x"}), "Environment") {
		t.Error("a default home still sets BATCHDESK_HOME")
	}
}

// TestSystemdUnitVerifies runs systemd-analyze verify on the unit for the
// real test binary, where the machine has systemd-analyze.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze on this machine")
	}
	exe, _ := os.Executable()
	path := filepath.Join(t.TempDir(), Name+".service")
	if err := os.WriteFile(path, []byte(SystemdUnit(Options{Exe: exe, Home: t.TempDir()})), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || strings.Contains(string(out), "ignoring") || strings.Contains(string(out), "Unknown") {
		t.Fatalf("systemd-analyze verify: %v: %s", err, out)
	}
}

func TestInstallSystemd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := &calls{}
	o := Options{Exe: "/usr/bin/batchdesk", ConfigDir: dir, Run: c.run}
	res, err := installSystemd(ctx, o)
	if err != nil || !res.Started {
		t.Fatalf("install: %+v %v", res, err)
	}
	wantPath := filepath.Join(dir, "systemd", "user", "batchdesk-scheduler.service")
	if b, err := os.ReadFile(wantPath); err != nil || string(b) != SystemdUnit(o) || res.Path != wantPath {
		t.Fatalf("unit file %s: %v %q", res.Path, err, b)
	}
	if strings.Join(c.got, "; ") != "systemctl --user daemon-reload; systemctl --user enable --now batchdesk-scheduler.service" {
		t.Errorf("commands: %q", c.got)
	}

	// No user systemd here (as in containers and CI): the file is written
	// and the note says how to start it.
	c = &calls{fail: map[string]bool{"systemctl": true}}
	o.Run = c.run
	res, err = installSystemd(ctx, o)
	if err != nil || res.Started || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "enable --now") {
		t.Fatalf("install without systemd: %+v %v", res, err)
	}
	res, err = uninstallSystemd(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wantPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("unit still there after uninstall: %v", err)
	}
	if res, _ := uninstallSystemd(ctx, o); len(res.Notes) == 0 {
		t.Error("a second uninstall does not say nothing was installed")
	}
}

// TestInstallUnderUserSystemd starts the unit for real where the machine
// has a user systemd: systemd-run --user runs the same command line.
func TestInstallUnderUserSystemd(t *testing.T) {
	if err := exec.Command("systemctl", "--user", "show-environment").Run(); err != nil {
		t.Skip("no user systemd on this machine (systemctl --user cannot reach a user manager)")
	}
	exe, _ := os.Executable()
	out, err := exec.Command("systemd-run", "--user", "--wait", "--collect", "--quiet", exe, "-test.run=^$").CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-run --user: %v: %s", err, out)
	}
}

func TestLaunchdAndSchtasks(t *testing.T) {
	o := Options{Exe: "/Applications/Batchdesk.app/Contents/MacOS/batchdesk", Home: "/Users/me/a&b"}
	p := LaunchdPlist(o)
	for _, want := range []string{"<string>com.batchdesk.scheduler</string>",
		"<string>/Applications/Batchdesk.app/Contents/MacOS/batchdesk</string><string>scheduler</string>",
		"<key>BATCHDESK_HOME</key><string>/Users/me/a&amp;b</string>", "<key>RunAtLoad</key><true/>"} {
		if !strings.Contains(p, want) {
			t.Errorf("plist lacks %s:\n%s", want, p)
		}
	}
	ctx := context.Background()
	c := &calls{}
	dir := t.TempDir()
	o.ConfigDir, o.Run = dir, c.run
	if res, err := installLaunchd(ctx, o); err != nil || !res.Started || res.Path != filepath.Join(dir, "LaunchAgents", "com.batchdesk.scheduler.plist") {
		t.Fatalf("launchd: %+v %v", res, err)
	}
	if _, err := uninstallLaunchd(ctx, o); err != nil {
		t.Fatal(err)
	}

	w := Options{Exe: `C:\Program Files\Batchdesk\batchdesk.exe`, Run: (&calls{}).run}
	args := strings.Join(SchtasksCreate(w), " ")
	if args != `/Create /TN Batchdesk Scheduler /TR "C:\Program Files\Batchdesk\batchdesk.exe" scheduler /SC ONLOGON /RL LIMITED /F` {
		t.Errorf("schtasks %s", args)
	}
	if res, err := installSchtasks(ctx, w); err != nil || !res.Started {
		t.Fatalf("schtasks: %+v %v", res, err)
	}
	if _, err := forOS("plan9", nil, nil, nil)(ctx, w); err == nil {
		t.Error("plan9 installed a service")
	}
}
