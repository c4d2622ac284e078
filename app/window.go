package app

import (
	"context"
	"io/fs"
	"log"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

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
			a.SetEmitter(wailsEmitter{ctx})
			a.SetDialogs(wailsDialogs{ctx})
			// Files dropped on the window arrive as absolute paths: Go reads
			// them from disk, nothing large passes through JavaScript.
			runtime.OnFileDrop(ctx, func(x, y int, paths []string) {
				a.emit("files:dropped", map[string]any{"paths": paths})
			})
		},
		OnShutdown: func(context.Context) { a.Shutdown() },
		DragAndDrop: &options.DragAndDrop{
			EnableFileDrop: true,
		},
		Bind: []interface{}{a},
	})
	if err != nil {
		log.Printf("batchdesk: window: %v", err)
		return 2
	}
	return 0
}
