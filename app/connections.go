package app

import (
	"time"

	"batchdesk/backend/connections"
)

// ListConnections lists the built-in sandbox and the saved connections.
func (a *App) ListConnections() ([]connections.Connection, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	cs, err := a.ws.Conns.List(ctx)
	return cs, fail(err)
}

// AddConnection saves a connection; its password goes to the keyring.
func (a *App) AddConnection(in connections.Input) (connections.Connection, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	c, err := a.ws.Conns.Add(ctx, in)
	return c, fail(err)
}

// TestConnection logs in for real and reports the outcome; a failed login
// is a Result with OK false, not an error.
func (a *App) TestConnection(name string) (connections.Result, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	r, err := a.ws.Conns.Test(ctx, name)
	return r, fail(err)
}

// RemoveConnection deletes a saved connection and its password.
func (a *App) RemoveConnection(name string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(a.ws.Conns.Remove(ctx, name))
}
