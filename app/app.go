// Package app is the Wails-bound facade of Batchdesk: thin methods that
// convert DTOs and forward to the backend services, plus job events. The same
// methods are served over HTTP by `batchdesk serve` (backend/httpapi), so a
// method here must take and return plain JSON-able values and hold no logic.
//
// Errors returned to the UI carry a stable code: see fail().
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/imports"
	"batchdesk/backend/jobs"
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

// App is the object bound to the UI.
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

// SetEmitter sets where events go (called by the window or the server).
func (a *App) SetEmitter(e Emitter) {
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

// SetDialogs gives the app the window's native dialogs.
func (a *App) SetDialogs(d Dialogs) {
	a.mu.Lock()
	a.dlg = d
	a.mu.Unlock()
}

// Shutdown cancels running work; the window and the server call it on exit.
func (a *App) Shutdown() { a.cancel() }

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

// UIReady is called by the page once its first screen has rendered. It logs
// the line the window test waits for.
func (a *App) UIReady() {
	fmt.Fprintln(os.Stderr, "batchdesk: ui ready")
}

// UIStep is called by the page when the import flow shows a step; it logs
// the line the window test of the mapping step waits for.
func (a *App) UIStep(step string) {
	fmt.Fprintf(os.Stderr, "batchdesk: ui step %s\n", step)
}

// Info describes the running app.
func (a *App) Info() (AppInfo, error) {
	files := a.opts.StartFiles
	if files == nil {
		files = []string{}
	}
	return AppInfo{
		Version:     a.opts.Version,
		Mode:        a.opts.Mode,
		DataDir:     a.ws.Home,
		SecretsMode: a.ws.Secrets.Mode(),
		StartFiles:  files,
	}, nil
}

// GetSettings returns the user's preferences.
func (a *App) GetSettings() (Settings, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	s, err := a.settings(ctx)
	return s, fail(err)
}

func (a *App) settings(ctx context.Context) (Settings, error) {
	var s Settings
	var err error
	if s.Language, err = a.ws.Store.Language(ctx); err != nil {
		return s, err
	}
	if s.MaxFileMB, err = a.ws.Store.MaxFileMB(ctx); err != nil {
		return s, err
	}
	s.BatchSize, err = a.ws.Store.BatchSize(ctx)
	return s, err
}

// SaveSettings stores the user's preferences and returns them as saved.
func (a *App) SaveSettings(s Settings) (Settings, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	st := a.ws.Store
	if err := st.SetLanguage(ctx, s.Language); err != nil {
		return Settings{}, fail(err)
	}
	if err := st.SetMaxFileMB(ctx, s.MaxFileMB); err != nil {
		return Settings{}, fail(err)
	}
	if err := st.SetBatchSize(ctx, s.BatchSize); err != nil {
		return Settings{}, fail(err)
	}
	out, err := a.settings(ctx)
	return out, fail(err)
}

// ListObjects lists the objects of a connection (name or spec).
func (a *App) ListObjects(connection string) ([]ObjectSummary, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	objs, err := a.objects(ctx, connection)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]ObjectSummary, 0, len(objs))
	for _, o := range objs {
		out = append(out, ObjectSummary{APIName: o.APIName, LabelEN: o.LabelEN, LabelZH: o.LabelZH,
			Table: o.Table, Primary: o.Primary, Master: o.Master, FieldCount: len(o.Fields),
			FromCatalog: o.FromCatalog})
	}
	return out, nil
}

// DescribeObject returns one object with its fields.
func (a *App) DescribeObject(connection, object string) (catalog.Object, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	o, err := a.describe(ctx, connection, object)
	if err != nil {
		return catalog.Object{}, fail(err)
	}
	return *o, nil
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
	spec, err := a.ws.Conns.Resolve(ctx, connection)
	if err != nil {
		return nil, err
	}
	return crm.Open(ctx, spec)
}
