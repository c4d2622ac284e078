package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SystemdUnit is the text of the systemd user unit that runs
// `EXE scheduler` at login and restarts it when it fails.
func SystemdUnit(o Options) string {
	var b strings.Builder
	b.WriteString("# Written by `batchdesk scheduler --install`; removed by `batchdesk scheduler --uninstall`.\n")
	b.WriteString("[Unit]\n")
	b.WriteString("Description=Batchdesk scheduler: runs scheduled exports and deletes\n")
	b.WriteString("After=network-online.target\n\n")
	b.WriteString("[Service]\n")
	b.WriteString("Type=simple\n")
	fmt.Fprintf(&b, "ExecStart=%s scheduler\n", systemdQuote(o.Exe))
	if o.Home != "" {
		fmt.Fprintf(&b, "Environment=%s\n", systemdQuote("BATCHDESK_HOME="+o.Home))
	}
	b.WriteString("Restart=on-failure\n")
	b.WriteString("RestartSec=30\n\n")
	b.WriteString("[Install]\n")
	b.WriteString("WantedBy=default.target\n")
	return b.String()
}

// systemdQuote quotes one word for a unit file: double quotes, with
// backslash, quote and the specifier character % escaped.
func systemdQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "\n", " ")
	return `"` + r.Replace(s) + `"`
}

// systemdPath is where the unit goes: ~/.config/systemd/user/NAME.service.
func systemdPath(o Options) (string, error) {
	dir := o.ConfigDir
	if dir == "" {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return "", unavailable(err, "find the user config folder: %v", err)
		}
	}
	return filepath.Join(dir, "systemd", "user", Name+".service"), nil
}

func installSystemd(ctx context.Context, o Options) (Result, error) {
	path, err := systemdPath(o)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return Result{}, unavailable(err, "create %s: %v", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(SystemdUnit(o)), 0o644); err != nil {
		return Result{}, unavailable(err, "write %s: %v", path, err)
	}
	res := Result{Path: path}
	if _, err := o.run(ctx, "systemctl", "--user", "daemon-reload"); err != nil {
		res.Notes = append(res.Notes, "This session has no user systemd to start it now; it starts at your next login "+
			"once enabled with: systemctl --user enable --now "+Name+".service")
		return res, nil
	}
	if out, err := o.run(ctx, "systemctl", "--user", "enable", "--now", Name+".service"); err != nil {
		return res, unavailable(err, "systemctl --user enable --now %s.service: %s", Name, firstLine(out, err))
	}
	res.Started = true
	res.Notes = append(res.Notes, "It runs now and at every login; see its log with: journalctl --user -u "+Name)
	return res, nil
}

func uninstallSystemd(ctx context.Context, o Options) (Result, error) {
	path, err := systemdPath(o)
	if err != nil {
		return Result{}, err
	}
	res := Result{Path: path}
	if _, err := o.run(ctx, "systemctl", "--user", "disable", "--now", Name+".service"); err == nil {
		res.Started = true // it was stopped
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return res, unavailable(err, "remove %s: %v", path, err)
	} else if errors.Is(err, os.ErrNotExist) {
		res.Notes = append(res.Notes, "No scheduler service was installed.")
	}
	_, _ = o.run(ctx, "systemctl", "--user", "daemon-reload")
	return res, nil
}

func firstLine(out string, err error) string {
	if out == "" {
		return err.Error()
	}
	line, _, _ := strings.Cut(out, "\n")
	if len(line) > 200 {
		line = line[:200]
	}
	return line
}
