package app

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destinations"
	"batchdesk/backend/export"
	"batchdesk/backend/store"
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

// UpdateDestination changes the saved destination name: input.Name is its
// new name ("" keeps it), and a secret left empty keeps the stored one
// (the page shows "unchanged — type to replace"). Scheduled exports to the
// old name follow a rename.
func (a *DestinationsAPI) UpdateDestination(name string, input destinations.Input) (destinations.Destination, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	d, err := a.ws.Dests.Update(ctx, name, input)
	if err != nil {
		return d, fail(err)
	}
	if d.Name != name {
		if err := a.renameScheduledDestination(ctx, name, d.Name); err != nil {
			return d, fail(apperr.Wrap(err, apperr.Internal, "%s was renamed to %s, but its scheduled exports still name %s: edit them on the Schedules page", name, d.Name, name))
		}
	}
	return d, nil
}

// renameScheduledDestination points the export schedules that send to
// the saved destination from at to.
func (a *App) renameScheduledDestination(ctx context.Context, from, to string) error {
	scs, err := a.ws.Store.ListSchedules(ctx)
	if err != nil {
		return err
	}
	for _, sc := range scs {
		var set export.Settings
		if sc.Kind != store.JobExport || json.Unmarshal(sc.JobSettings, &set) != nil || strings.TrimSpace(set.Destination) != from {
			continue
		}
		set.Destination = to
		if sc.JobSettings, err = json.Marshal(set); err != nil {
			return err
		}
		if t, ok := strings.CutSuffix(sc.Title, " to "+from); ok {
			sc.Title = t + " to " + to
		}
		if err := a.ws.Store.SetScheduleJob(ctx, sc.ID, sc.Title, sc.JobSettings); err != nil {
			return err
		}
	}
	return nil
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
