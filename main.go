// Command batchdesk is the Batchdesk desktop app and its command line.
// main only wires: it opens the workspace, then either the window (no
// command, or only CSV files as arguments) or the CLI.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/term"

	"batchdesk/app"
	"batchdesk/backend/appdir"
	"batchdesk/backend/cli"
	"batchdesk/backend/workspace"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	args := os.Args[1:]
	if files, ok := windowFiles(args); ok {
		os.Exit(runWindow(files))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go stopOnSignal(ctx, stop)
	svc := &workspace.Lazy{Options: workspace.Options{Passphrase: askPassphrase}}
	defer svc.Close()
	env := cli.Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Version:   version,
		Workspace: svc.Get,
		Serve: func(ctx context.Context, o cli.ServeOptions) error {
			ws, err := svc.Get()
			if err != nil {
				return err
			}
			uploads, err := appdir.Sub("uploads")
			if err != nil {
				return err
			}
			a := app.New(ws, app.Options{Version: version, Mode: "browser", Scheduler: true})
			return app.Serve(ctx, a, frontendFS(), app.ServeOptions{Addr: o.Addr, AllowRemote: o.AllowRemote,
				UploadDir: uploads, Root: o.Root}, os.Stdout)
		},
		IsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
	}
	os.Exit(cli.Run(ctx, args, env))
}

// signalGrace is how long a command may take to stop cleanly (cancel its
// job, which stays resumable) after SIGINT or SIGTERM.
const signalGrace = 10 * time.Second

// stopOnSignal makes a signal always stop the process: the first cancels
// ctx (the command stops cleanly), and gives back the default handling, so
// a second one ends the process at once; a command that has not ended
// within signalGrace (stuck in a system call) is ended too.
func stopOnSignal(ctx context.Context, stop context.CancelFunc) {
	<-ctx.Done()
	stop()
	time.Sleep(signalGrace)
	fmt.Fprintf(os.Stderr, "batchdesk: stopped: the command did not end within %s of the signal\n", signalGrace)
	os.Exit(cli.ExitCannot)
}

// windowFiles reports whether args ask for the window: none, or only paths of
// existing files (as a file association would pass them).
func windowFiles(args []string) ([]string, bool) {
	for _, a := range args {
		if len(a) == 0 || a[0] == '-' {
			return nil, false
		}
		if st, err := os.Stat(a); err != nil || st.IsDir() {
			return nil, false
		}
	}
	return args, true
}

// runWindow opens the window on the workspace, with files already in the
// import flow.
func runWindow(files []string) int {
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "batchdesk: %v\n", err)
		return 2
	}
	defer ws.Close()
	abs := make([]string, 0, len(files))
	for _, f := range files {
		if p, err := filepath.Abs(f); err == nil {
			abs = append(abs, p)
		}
	}
	a := app.New(ws, app.Options{Version: version, Mode: "desktop", StartFiles: abs, Scheduler: true})
	return app.RunWindow(a, frontendFS())
}

// askPassphrase asks on the terminal for the secrets-file passphrase.
func askPassphrase(newFile bool) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("no terminal to ask for the secrets passphrase: set BATCHDESK_PASSPHRASE")
	}
	defer tty.Close()
	prompt := "Passphrase for Batchdesk's secrets file: "
	if newFile {
		prompt = "Choose a passphrase for Batchdesk's secrets file (it protects saved passwords): "
	}
	fmt.Fprint(tty, prompt)
	pw, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	return string(pw), nil
}

// frontendFS is the built frontend (frontend/dist) as the root of an FS.
func frontendFS() fs.FS {
	sub, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	return sub
}
