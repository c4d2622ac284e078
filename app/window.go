package app

import (
	"context"
	"fmt"
	"io/fs"
	"log"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

func init() { addArea("window", true, func(a *App) any { return &WindowAPI{a} }) }

// WindowAPI is the window-only area of the surface: the page's readiness
// signals, which only the window test reads. It is not served over HTTP.
type WindowAPI struct{ *App }

// UIReady is called by the page once its first screen has rendered. It logs
// the line the window test waits for.
func (a *WindowAPI) UIReady() {
	fmt.Fprintln(os.Stderr, "batchdesk: ui ready")
}

// UIStep is called by the page when the import flow shows a step; it logs
// the line the window test of the mapping step waits for.
func (a *WindowAPI) UIStep(step string) {
	fmt.Fprintf(os.Stderr, "batchdesk: ui step %s\n", step)
}

// wailsEmitter sends events through the Wails runtime. Runtime calls with a
// context that is not Wails' own kill the process, so it only ever uses the
// context Wails hands to OnStartup.
type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(name string, payload any) { runtime.EventsEmit(e.ctx, name, payload) }

// RunWindow opens the Batchdesk window over a and blocks until it closes.
// It returns the process exit status.
func RunWindow(a *App, assets fs.FS) int {
	err := wails.Run(&options.App{
		Title:            "Batchdesk",
		Width:            1280,
		Height:           860,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			a.setEmitter(wailsEmitter{ctx})
			a.setDialogs(wailsDialogs{ctx})
			// Files dropped on the window arrive as absolute paths: Go reads
			// them from disk, nothing large passes through JavaScript.
			runtime.OnFileDrop(ctx, func(x, y int, paths []string) {
				a.emit("files:dropped", FilesDropped{Paths: paths})
			})
		},
		OnShutdown: func(context.Context) { a.shutdown() },
		DragAndDrop: &options.DragAndDrop{
			EnableFileDrop: true,
		},
		// The chosen surface, not *App: see surface.go.
		Bind: a.bound(true),
	})
	if err != nil {
		log.Printf("batchdesk: window: %v", err)
		return 2
	}
	return 0
}
