package service

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
)

// launchdLabel names the launchd agent.
const launchdLabel = "com.batchdesk.scheduler"

// LaunchdPlist is the launchd agent that runs `EXE scheduler` at login and
// keeps it running.
func LaunchdPlist(o Options) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key><string>` + launchdLabel + `</string>
	<key>ProgramArguments</key>
	<array><string>` + html.EscapeString(o.Exe) + `</string><string>scheduler</string></array>
`)
	if o.Home != "" {
		fmt.Fprintf(&b, "\t<key>EnvironmentVariables</key>\n\t<dict><key>BATCHDESK_HOME</key><string>%s</string></dict>\n",
			html.EscapeString(o.Home))
	}
	b.WriteString(`	<key>RunAtLoad</key><true/>
	<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
	<key>ProcessType</key><string>Background</string>
</dict>
</plist>
`)
	return b.String()
}

func launchdPath(o Options) (string, error) {
	dir := o.ConfigDir
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", unavailable(err, "find the home folder: %v", err)
		}
		dir = filepath.Join(home, "Library")
	}
	return filepath.Join(dir, "LaunchAgents", launchdLabel+".plist"), nil
}

func installLaunchd(ctx context.Context, o Options) (Result, error) {
	path, err := launchdPath(o)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return Result{}, unavailable(err, "create %s: %v", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(LaunchdPlist(o)), 0o644); err != nil {
		return Result{}, unavailable(err, "write %s: %v", path, err)
	}
	res := Result{Path: path}
	_, _ = o.run(ctx, "launchctl", "unload", path)
	if out, err := o.run(ctx, "launchctl", "load", "-w", path); err != nil {
		return res, unavailable(err, "launchctl load %s: %s", path, firstLine(out, err))
	}
	res.Started = true
	res.Notes = append(res.Notes, "It runs now and at every login.")
	return res, nil
}

func uninstallLaunchd(ctx context.Context, o Options) (Result, error) {
	path, err := launchdPath(o)
	if err != nil {
		return Result{}, err
	}
	res := Result{Path: path}
	if _, err := o.run(ctx, "launchctl", "unload", "-w", path); err == nil {
		res.Started = true
	}
	if err := os.Remove(path); errors.Is(err, os.ErrNotExist) {
		res.Notes = append(res.Notes, "No scheduler service was installed.")
	} else if err != nil {
		return res, unavailable(err, "remove %s: %v", path, err)
	}
	return res, nil
}
