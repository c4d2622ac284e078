package deletion

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/fkgraph"
)

// Preview is what a delete would do, counted in one snapshot: the page
// shows it and `delete --dry-run` prints it.
type Preview struct {
	Object string `json:"object"`
	CRM    string `json:"crm"`
	// Matching is how many records the filter (or --all) matches; Blocked
	// how many of them a blocking reference holds; Total how many go
	// (Matching, less Blocked when SkipBlocked).
	Matching int64 `json:"matching"`
	Blocked  int64 `json:"blocked"`
	Total    int64 `json:"total"`
	// Cascades are the detail objects whose records go too, with counts.
	Cascades []Related `json:"cascades"`
	// Emptied are the lookups set to null (or their default), with the
	// count of records touched.
	Emptied []Related `json:"emptied"`
	// Blocking are the references that refuse the delete (RESTRICT / NO
	// ACTION), with the count of referencing records.
	Blocking []Related `json:"blocking"`
	// BlockedIDs are the first ids of blocked records.
	BlockedIDs []string `json:"blockedIds"`
	// Warnings are plain sentences: unindexed foreign keys and which index
	// would help.
	Warnings []string `json:"warnings"`
	// Check is the second check the delete needs: CheckPassword (the
	// server checks passwords) or CheckCount (it checks none: type the
	// exact count).
	Check string `json:"check"`
	// CheckNote says why, for people.
	CheckNote string `json:"checkNote"`
}

// The second checks of a delete.
const (
	CheckPassword = "password"
	CheckCount    = "count"
)

// Related is one object (or table) that a delete acts on through a
// foreign key.
type Related struct {
	Object     string   `json:"object"`
	Table      string   `json:"table"`
	Fields     []string `json:"fields,omitempty"`
	Constraint string   `json:"constraint,omitempty"`
	Rows       int64    `json:"rows"`
}

// plan is a request resolved against one target.
type plan struct {
	t       target
	req     Request
	obj     *catalog.Object
	objects []catalog.Object
	root    fkgraph.Table
	key     string
	graph   *fkgraph.Graph
}

// compileWhere turns the filter text into a condition (nil: all records).
// It is a variable so that the package's tests can stand in a condition
// while the filter language is built elsewhere.
var compileWhere = func(text string, obj *catalog.Object) (fkgraph.Condition, error) {
	return compileFilter(text, obj)
}

// resolve checks req and builds its delete graph on t.
func resolve(ctx context.Context, t target, req Request) (*plan, error) {
	if strings.TrimSpace(req.Object) == "" {
		return nil, apperr.New(apperr.Invalid, "no object given")
	}
	if req.All == (strings.TrimSpace(req.Where) != "") {
		return nil, apperr.New(apperr.Invalid, "say which records go: all of them, or those a filter selects (not both)")
	}
	if req.BatchSize < 0 || req.MaxCount < 0 {
		return nil, apperr.New(apperr.Invalid, "the batch size and the maximum count cannot be negative")
	}
	objects, err := t.Objects(ctx)
	if err != nil {
		return nil, err
	}
	obj, err := catalog.Find(objects, req.Object)
	if errors.Is(err, catalog.ErrUnknownObject) {
		return nil, apperr.New(apperr.Invalid, "%s has no object %s", t.Describe(), quote(req.Object))
	}
	if err != nil {
		return nil, err
	}
	idf, err := obj.Field("id")
	if err != nil || idf.Column == "" {
		return nil, apperr.New(apperr.Invalid, "%s has no id column, so its records cannot be deleted by id", obj.APIName)
	}
	var cond fkgraph.Condition
	if !req.All {
		if cond, err = compileWhere(req.Where, obj); err != nil {
			return nil, err
		}
	}
	keys, err := t.ForeignKeys(ctx)
	if err != nil {
		return nil, err
	}
	p := &plan{t: t, req: req, obj: obj, objects: objects, key: idf.Column,
		root: fkgraph.Table{Schema: obj.Schema, Name: obj.Table}}
	p.graph, err = fkgraph.Build(fkgraph.Request{Dialect: t.Dialect(), Root: p.root, Key: p.key,
		Where: cond, SkipBlocked: req.SkipBlocked, Keys: keys})
	if err != nil {
		return nil, err
	}
	if cyc := p.graph.Cycles(); len(cyc) > 0 {
		fk := cyc[0]
		return nil, apperr.New(apperr.Invalid, "Batchdesk cannot delete %s records: the foreign key %s (%s.%s) deletes %s records in cascade from %s records, "+
			"a cycle the database follows to any depth, so the preview could not count what goes and the backup would miss it; "+
			"change the key to ON DELETE SET NULL or RESTRICT, or delete the referring records first",
			obj.APIName, quote(fk.Name), fk.Child, strings.Join(fk.ChildCols, ", "), fk.Child, fk.Parent)
	}
	return p, nil
}

// Preview counts what req would delete, without deleting anything.
func (s *Service) Preview(ctx context.Context, req Request) (Preview, error) {
	t, err := s.open(ctx, req.CRM)
	if err != nil {
		return Preview{}, err
	}
	defer t.Close()
	p, err := resolve(ctx, t, req)
	if err != nil {
		return Preview{}, err
	}
	var out Preview
	err = t.Snapshot(ctx, func(q fkgraph.Querier) error {
		out, err = p.preview(ctx, q)
		return err
	})
	if err != nil {
		return Preview{}, wrapDB(err, "preview the delete")
	}
	if out.Check, out.CheckNote, err = secondCheck(ctx, t); err != nil {
		return Preview{}, err
	}
	return out, nil
}

// preview counts inside a snapshot.
func (p *plan) preview(ctx context.Context, q fkgraph.Querier) (Preview, error) {
	g, err := p.graph.Preview(ctx, q)
	if err != nil {
		return Preview{}, err
	}
	out := Preview{Object: p.obj.APIName, CRM: p.t.Describe(), Matching: g.Matching, Blocked: g.Blocked,
		Total: g.Total, BlockedIDs: g.BlockedKeys, Cascades: []Related{}, Emptied: []Related{},
		Blocking: []Related{}, Warnings: []string{}}
	if out.BlockedIDs == nil {
		out.BlockedIDs = []string{}
	}
	for _, tc := range g.Tables {
		out.Cascades = append(out.Cascades, Related{Object: p.objectOf(tc.Table), Table: tc.Table.String(), Rows: tc.Rows})
	}
	for _, e := range g.Edges {
		r := Related{Object: p.objectOf(e.FK.Child), Table: e.FK.Child.String(), Fields: e.FK.ChildCols,
			Constraint: e.FK.Name, Rows: e.Rows}
		switch e.Kind {
		case fkgraph.EdgeEmpties:
			out.Emptied = append(out.Emptied, r)
		case fkgraph.EdgeBlocking:
			out.Blocking = append(out.Blocking, r)
		}
		if !e.FK.Indexed && e.Kind != fkgraph.EdgeBlocking || !e.FK.Indexed && e.Rows > 0 {
			out.Warnings = append(out.Warnings, fmt.Sprintf(
				"%s (%s) has no index, so every deleted %s makes the database scan %s: this index would help: %s",
				e.FK.Name, strings.Join(e.FK.ChildCols, ", "), p.objectOf(e.FK.Parent), e.FK.Child, e.FK.SuggestedIndex()))
		}
	}
	return out, nil
}

// objectOf names a table by its object's API name, else the table.
func (p *plan) objectOf(t fkgraph.Table) string {
	for _, o := range p.objects {
		if o.Table == t.Name && o.Schema == t.Schema {
			return o.APIName
		}
	}
	return t.String()
}

// quote quotes user input for a message, at most 100 characters.
func quote(s string) string {
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// wrapDB gives a database error short context, keeping apperr codes.
func wrapDB(err error, what string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot %s: %v", what, err)
}
