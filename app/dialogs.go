package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Dialogs are the native file dialogs; only the window has them.
type Dialogs interface {
	// OpenFiles asks for CSV files; nil when the user cancels.
	OpenFiles(title string) ([]string, error)
	// SaveFile asks where to save; "" when the user cancels.
	SaveFile(title, defaultName string) (string, error)
}

func (a *App) dialogs() Dialogs {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dlg
}

// wailsDialogs uses the runtime's dialogs with the context Wails gave
// OnStartup (any other context kills the process).
type wailsDialogs struct{ ctx context.Context }

func (d wailsDialogs) OpenFiles(title string) ([]string, error) {
	return runtime.OpenMultipleFilesDialog(d.ctx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "CSV files (*.csv, *.txt, *.tsv)", Pattern: "*.csv;*.txt;*.tsv"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
}

func (d wailsDialogs) SaveFile(title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName})
}

// FolderDialog asks for a folder; the window's dialogs have it.
type FolderDialog interface {
	// OpenFolder asks for a folder; "" when the user cancels.
	OpenFolder(title string) (string, error)
}

var _ FolderDialog = wailsDialogs{}

func (d wailsDialogs) OpenFolder(title string) (string, error) {
	return runtime.OpenDirectoryDialog(d.ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}
