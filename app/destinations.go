package app

import (
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destinations"
)

func init() { addArea("destinations", false, func(a *App) any { return &DestinationsAPI{a} }) }

// DestinationsAPI is the destinations area of the surface: the saved
// export destinations (local folder, OSS, FTP, SFTP), their test, and the
// window's folder dialog.
type DestinationsAPI struct{ *App }

// ListDestinations lists the saved destinations by name (never a secret).
func (a *DestinationsAPI) ListDestinations() ([]destinations.Destination, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	ds, err := a.ws.Dests.List(ctx)
	if ds == nil {
		ds = []destinations.Destination{}
	}
	return ds, fail(err)
}

// AddDestination saves a destination, its secrets going to the keyring.
// An SFTP server's unknown host key is refused with its fingerprint until
// the input accepts it.
func (a *DestinationsAPI) AddDestination(input destinations.Input) (destinations.Destination, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	d, err := a.ws.Dests.Add(ctx, input)
	return d, fail(err)
}

// TestDestination writes and removes a probe file at a saved destination
// (or any folder or URL) and says in plain words what failed.
func (a *DestinationsAPI) TestDestination(spec string) error {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	return fail(a.ws.Dests.Test(ctx, spec))
}

// RemoveDestination deletes a saved destination and its secrets.
func (a *DestinationsAPI) RemoveDestination(name string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(a.ws.Dests.Remove(ctx, name))
}

// PickFolder asks for a folder with the window's dialog; "" when the
// user cancels. Browser mode has no dialog: the page asks for a path.
func (a *DestinationsAPI) PickFolder() (string, error) {
	d, ok := a.dialogs().(FolderDialog)
	if !ok || d == nil {
		return "", fail(apperr.New(apperr.Invalid, "type the folder's path: only the window has a folder dialog"))
	}
	return d.OpenFolder("Choose the export folder")
}
