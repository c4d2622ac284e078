package app

import (
	"os"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/connections"
	"batchdesk/backend/crm"
	"batchdesk/backend/sandboxcopy"
)

func init() { addArea("connections", false, func(a *App) any { return &ConnectionsAPI{a} }) }

// ConnectionsAPI is the connections area of the surface: saved CRM
// connections and the objects of a CRM.
type ConnectionsAPI struct{ *App }

// ListConnections lists the built-in sandbox and the saved connections.
func (a *ConnectionsAPI) ListConnections() ([]connections.Connection, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	cs, err := a.ws.Conns.List(ctx)
	return cs, fail(err)
}

// AddConnection saves a connection; its password goes to the keyring.
func (a *ConnectionsAPI) AddConnection(input connections.Input) (connections.Connection, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	c, err := a.ws.Conns.Add(ctx, input)
	return c, fail(err)
}

// TestConnection logs in for real and reports the outcome; a failed login
// is a Result with OK false, not an error.
func (a *ConnectionsAPI) TestConnection(name string) (connections.Result, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	r, err := a.ws.Conns.Test(ctx, name)
	return r, fail(err)
}

// RemoveConnection deletes a saved connection and its password.
func (a *ConnectionsAPI) RemoveConnection(name string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(a.ws.Conns.Remove(ctx, name))
}

// ListObjects lists the objects of a connection (name or spec).
func (a *ConnectionsAPI) ListObjects(connection string) ([]ObjectSummary, error) {
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
func (a *ConnectionsAPI) DescribeObject(connection, object string) (catalog.Object, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	o, err := a.describe(ctx, connection, object)
	if err != nil {
		return catalog.Object{}, fail(err)
	}
	return *o, nil
}

// CopyToSandbox starts a sandbox copy of the connection's CRM (a saved
// connection on PostgreSQL) named name, with records "none", "reference"
// or "all", and returns the copy's job ID at once; the copy is then usable
// as the connection "sandbox:NAME". A copy of that name that exists is
// refused (Conflict).
func (a *ConnectionsAPI) CopyToSandbox(connection, name, records string) (string, error) {
	path, err := crm.SandboxCopyPath(name)
	if err != nil {
		return "", fail(err)
	}
	if _, err := os.Stat(path); err == nil {
		return "", fail(apperr.New(apperr.Conflict, "a sandbox copy named %s exists already: choose another name", name))
	}
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	if _, err := a.resolve(ctx, connection); err != nil { // browser mode: no sandbox file outside the allowed folders
		return "", fail(err)
	}
	opt := sandboxcopy.Options{Records: records}
	// The job outlives the call: it runs on the app's context.
	id, err := sandboxcopy.Start(a.ctx, a.ws.Conns, a.jobs, name, path, connection, opt)
	return id, fail(err)
}
