// Package cli is Batchdesk's command line: the same engine as the window,
// headless, for scripts, schedulers and tests (DESIGN §4).
//
// In: the arguments and an Env (streams, and lazily opened services).
// Out: an exit status — 0 everything succeeded, 1 the job ran but some rows
// failed or would fail (or it was canceled), 2 it could not run to its end
// (bad arguments, unreadable file, no connection, wrong password, a job
// failed or interrupted), with one clear line on stderr. A panic in a
// command is caught and reported as exit 2.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports"
)

// Exit statuses.
const (
	ExitOK       = 0
	ExitRowsFail = 1
	ExitCannot   = 2
)

// ErrRowsFailed is returned by a command whose job ran to its end with some
// rows failing (or that was canceled): exit status 1, nothing more printed.
var ErrRowsFailed = errors.New("some rows failed")

// Env is what commands need from outside: streams, the version, the app's
// services (opened on first use: `inspect` needs none) and the HTTP server
// for `serve`, which main.go builds because it embeds the frontend.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Version        string
	Services       func() (*Services, error)
	Serve          func(ctx context.Context, opts ServeOptions) error
	// IsTerminal reports whether stdout is a terminal (progress bar vs lines).
	IsTerminal bool
}

// ServeOptions are the flags of `batchdesk serve`.
type ServeOptions struct {
	Addr        string
	AllowRemote bool
	// Root is a folder whose files the page may open (--root); "" for none.
	Root string
}

// Run runs the command line and returns the exit status.
func Run(ctx context.Context, args []string, env Env) (status int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(env.Stderr, "batchdesk: internal error: %v (please report it)\n", p)
			if os.Getenv("BATCHDESK_DEBUG") != "" {
				fmt.Fprintf(env.Stderr, "%s\n", debug.Stack())
			}
			status = ExitCannot
		}
	}()
	root := newRoot(&env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrRowsFailed):
		return ExitRowsFail
	}
	fmt.Fprintf(env.Stderr, "batchdesk: %s\n", oneLine(message(err)))
	return ExitCannot
}

// settingFlags are the flags of the import settings a shared check can
// name (imports.Setting*): the command line puts the flag before the
// message, which names the setting in words.
var settingFlags = map[string]string{
	imports.SettingCRM: "--crm", imports.SettingObject: "--object", imports.SettingMode: "--mode",
	imports.SettingKey: "--key", imports.SettingBatchSize: "--batch-size", imports.SettingMaxFileMB: "--max-file-mb",
	imports.SettingMasterKey: "--master-key", imports.SettingDetails: "--detail",
	imports.SettingFailedOnly: "--failed-only",
}

func message(err error) string {
	msg := apperr.MessageOf(err)
	if flag, ok := settingFlags[apperr.SettingOf(err)]; ok {
		msg = flag + ": " + msg
	}
	// cobra's own argument errors: add the hint once.
	if strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") || strings.Contains(msg, "required flag") {
		msg += " (see 'batchdesk --help')"
	}
	return msg
}

// oneLine makes a message one line of at most maxMessage bytes: a message
// that quotes a file's data never floods the terminal.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "… (message shortened)"
	}
	return s
}

// maxMessage bounds a message on stderr.
const maxMessage = 2000

func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "batchdesk",
		Short: "Import CSV files into a CRM, export its objects, delete records in bulk",
		Long: `Batchdesk imports CSV files into a CRM database, exports its objects and
deletes records in bulk. Without a command it opens the window.

A CRM (--crm) is a PostgreSQL URL (postgres://user@host:port/db), a saved
connection's name, "sandbox" (the built-in sandbox), "sandbox:NAME" (a sandbox
copy, see 'batchdesk sandbox') or "sandbox:PATH".`,
		Version:       env.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return apperr.Wrap(err, apperr.Invalid, "%s: %v (see 'batchdesk %s --help')", cmd.Name(), err, cmd.Name())
	})
	for _, add := range commands {
		root.AddCommand(add(env))
	}
	return root
}

// commands are the subcommands; each file of this package registers its own
// in an init function, so commands stay independent of each other.
var commands []func(env *Env) *cobra.Command

func register(c func(env *Env) *cobra.Command) { commands = append(commands, c) }

// services opens the app's services, wrapping failures for one clear line.
func (env *Env) services() (*Services, error) {
	if env.Services == nil {
		return nil, apperr.New(apperr.Internal, "services are not wired")
	}
	return env.Services()
}
