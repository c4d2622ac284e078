package app

import (
	"context"
	"time"
)

func init() { addArea("settings", false, func(a *App) any { return &SettingsAPI{a} }) }

// SettingsAPI is the settings area of the surface: what the app is and the
// user's preferences.
type SettingsAPI struct{ *App }

// Info describes the running app.
func (a *SettingsAPI) Info() (AppInfo, error) {
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
func (a *SettingsAPI) GetSettings() (Settings, error) {
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
func (a *SettingsAPI) SaveSettings(s Settings) (Settings, error) {
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
