// Package app is the facade of Batchdesk bound to the page: thin methods
// that convert DTOs and forward to the backend services, plus job events.
//
// App is the running app (its services, events, dialogs, lifecycle); it is
// never bound itself. What the page may call is the surface: one small type
// per area (ImportAPI, JobsAPI, PresetsAPI, ConnectionsAPI, SettingsAPI and
// the window-only WindowAPI), each registered in its own file (see
// surface.go). The window binds those types; `batchdesk serve`
// (backend/httpapi) serves the same methods over HTTP, except the
// window-only ones. So a method here must take and return plain JSON-able
// values and hold no logic.
//
// Errors returned to the UI carry a stable code: see fail().
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"batchdesk/backend/appdir"
	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/imports"
	"batchdesk/backend/jobs"
	"batchdesk/backend/schedule"
	"batchdesk/backend/workspace"
)

// Emitter sends an event to the UI: the Wails runtime in the window, the SSE
// hub in browser mode.
type Emitter interface {
	Emit(name string, payload any)
}

// Options describe how the app runs.
type Options struct {
	Version    string
	Mode       string // "desktop" or "browser"
	StartFiles []string
	// Scheduler runs due schedules in this process while the app runs.
	Scheduler bool
}

// App is the running app: the services the surface forwards to, where its
// events go, the window's dialogs and the context every call derives from.
// Its methods are unexported: nothing of it is bound to the page.
type App struct {
	ws   *workspace.Workspace
	opts Options
	jobs *jobs.Registry
	// imports runs import jobs on jobs and keeps their problem logs.
	imports *imports.Service

	mu      sync.Mutex
	emitter Emitter
	dlg     Dialogs
	ctx     context.Context
	cancel  context.CancelFunc
	// files, when set (browser mode), limits the paths the page may open.
	files *fileRoots
	// runner runs due schedules (Options.Scheduler); nil otherwise.
	runner *schedule.Runner
}

// New returns the App over an open workspace.
func New(ws *workspace.Workspace, opts Options) *App {
	ctx, cancel := context.WithCancel(context.Background())
	a := &App{ws: ws, opts: opts, ctx: ctx, cancel: cancel}
	a.jobs = jobs.New(ws.Store, jobs.EmitterFunc(a.emit), jobs.Options{})
	a.imports = imports.New(ws, a.jobs, imports.Options{ProblemLogs: true})
	// Jobs left "running" by a process that died are interrupted: say so,
	// so the dashboard offers to resume them.
	if _, err := a.jobs.Recover(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "batchdesk: checking for interrupted jobs: %v\n", err)
	}
	if opts.Scheduler {
		a.startScheduler()
	}
	return a
}

// setEmitter sets where events go (called by the window or the server).
func (a *App) setEmitter(e Emitter) {
	a.mu.Lock()
	a.emitter = e
	a.mu.Unlock()
}

func (a *App) emit(name string, payload any) {
	a.mu.Lock()
	e := a.emitter
	a.mu.Unlock()
	if e != nil {
		e.Emit(name, payload)
	}
}

// setDialogs gives the app the window's native dialogs.
func (a *App) setDialogs(d Dialogs) {
	a.mu.Lock()
	a.dlg = d
	a.mu.Unlock()
}

// shutdown cancels running work; the window and the server call it on exit.
func (a *App) shutdown() { a.cancel() }

// call gives each bound method a bounded context derived from the app's.
func (a *App) call(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(a.ctx, d)
}

// uiError is what crosses the Wails boundary: Wails rejects the promise with
// err.Error(), so that string is the JSON {"code","message"} the frontend
// parses. It unwraps to the *apperr.Error, which httpapi uses directly.
type uiError struct{ e *apperr.Error }

func (u uiError) Error() string {
	b, _ := json.Marshal(map[string]string{"code": u.e.Code, "message": u.e.Message})
	return string(b)
}

func (u uiError) Unwrap() error { return u.e }

// fail converts any error into a coded one for the UI. Unexpected errors
// become "internal" with their text; secrets never reach error texts because
// the services never put them there.
func fail(err error) error {
	if err == nil {
		return nil
	}
	var e *apperr.Error
	if !errors.As(err, &e) {
		e = &apperr.Error{Code: apperr.CodeOf(err), Message: err.Error(), Err: err}
	}
	return uiError{e}
}

func (a *App) objects(ctx context.Context, connection string) ([]catalog.Object, error) {
	t, err := a.open(ctx, connection)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	return t.Objects(ctx)
}

// open resolves a connection name (or spec) and opens the CRM.
func (a *App) open(ctx context.Context, connection string) (crm.Target, error) {
	spec, err := a.resolve(ctx, connection)
	if err != nil {
		return nil, err
	}
	return crm.Open(ctx, spec)
}

// resolve resolves a connection name (or spec); in browser mode a sandbox
// file other than the built-in one must be in an allowed folder, as any
// other file the page names.
func (a *App) resolve(ctx context.Context, connection string) (crm.Spec, error) {
	spec, err := a.ws.Conns.Resolve(ctx, connection)
	if err != nil || a.files == nil || spec.Kind != crm.KindSandbox || spec.Path == "" {
		return spec, err
	}
	if builtIn, berr := appdir.SandboxPath(); berr == nil && filepath.Clean(builtIn) == filepath.Clean(spec.Path) {
		return spec, nil
	}
	return spec, a.files.check(spec.Path)
}
