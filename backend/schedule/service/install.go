package service

import (
	"context"
	"runtime"

	"batchdesk/backend/apperr"
)

// Install writes and starts the per-user service for this OS.
func Install(ctx context.Context, o Options) (Result, error) {
	return forOS(runtime.GOOS, installSystemd, installLaunchd, installSchtasks)(ctx, o)
}

// Uninstall stops and removes the per-user service for this OS.
func Uninstall(ctx context.Context, o Options) (Result, error) {
	return forOS(runtime.GOOS, uninstallSystemd, uninstallLaunchd, uninstallSchtasks)(ctx, o)
}

type action func(context.Context, Options) (Result, error)

func forOS(goos string, linux, darwin, windows action) action {
	switch goos {
	case "darwin":
		return darwin
	case "windows":
		return windows
	case "linux", "freebsd", "openbsd", "netbsd":
		return linux
	}
	return func(context.Context, Options) (Result, error) {
		return Result{}, apperr.New(apperr.Invalid, "installing the scheduler as a service is not supported on %s: run `batchdesk scheduler` yourself", goos)
	}
}
