package export

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/query"
)

// KeyColumn is the header of the master file's record number in a related
// export without IDs, and of the details' column that refers to it.
const KeyColumn = "_key"

// plan is a request resolved against the catalog: the files to write.
type plan struct {
	files []planFile
	zip   string // the zip's name; "" writes the files one by one
	zone  string // IANA zone of datetimes
	noBOM bool
	notes []string
}

// planFile is one CSV.
type planFile struct {
	name   string
	object *catalog.Object
	header []string
	read   *query.Read
}

// newPlan checks req against t's catalog and resolves it. Every problem a
// user can fix is an *apperr.Error.
func newPlan(ctx context.Context, t crm.Target, req Request) (*plan, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	objs, err := t.Objects(ctx)
	if err != nil {
		return nil, err
	}
	p := &plan{zone: req.Zone, noBOM: req.NoBOM}
	if p.zone == "" {
		p.zone = LocalZone()
	}
	if req.All {
		err = p.all(req, objs)
	} else {
		err = p.object(req, objs)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case req.Zip != "":
		p.zip = safeName(req.Zip)
		if !strings.HasSuffix(strings.ToLower(p.zip), ".zip") {
			p.zip += ".zip"
		}
	case req.All:
		p.zip = "export-" + time.Now().Format("20060102-150405") + ".zip"
	case len(p.files) > 1:
		p.zip = p.files[0].object.APIName + "-" + time.Now().Format("20060102-150405") + ".zip"
	}
	return p, nil
}

// check refuses contradictory or malformed options.
func (r *Request) check() error {
	switch {
	case r.All && strings.TrimSpace(r.Object) != "":
		return apperr.New(apperr.Invalid, "export every object or one object, not both")
	case !r.All && strings.TrimSpace(r.Object) == "":
		return apperr.New(apperr.Invalid, "no object to export: name one, or export every object")
	case r.All && r.Related:
		return apperr.New(apperr.Invalid, "related objects go with one object; an export of every object has them all")
	case r.All && len(r.Fields) > 0:
		return apperr.New(apperr.Invalid, "fields are chosen for one object, not for an export of every object")
	case r.All && strings.TrimSpace(r.Where) != "":
		return apperr.New(apperr.Invalid, "a filter applies to one object, not to an export of every object")
	case r.All && r.IDs != nil:
		return apperr.New(apperr.Invalid, "record IDs restrict one object, not an export of every object")
	}
	switch r.Headers {
	case "", "api", "en", "zh":
	default:
		return apperr.New(apperr.Invalid, "headers must be api, en or zh, not %q", truncate(r.Headers))
	}
	if r.Zone != "" {
		if _, err := time.LoadLocation(r.Zone); err != nil {
			return apperr.New(apperr.Invalid, "unknown time zone %q", truncate(r.Zone))
		}
	}
	return nil
}

// all plans every object, masters and referenced objects first.
func (p *plan) all(req Request, objs []catalog.Object) error {
	var noStatus []string
	for _, o := range dependencyOrder(objs) {
		cols, header, err := columns(o, objs, req, nil, false, nil)
		if err != nil {
			return err
		}
		p.add(o, header, &query.Read{Object: o, Columns: cols, SkipVoided: !req.IncludeVoided})
		if !hasField(o, "life_status") {
			noStatus = append(noStatus, o.APIName)
		}
	}
	if req.IncludeVoided && len(noStatus) > 0 {
		p.notes = append(p.notes, fmt.Sprintf("including voided records has no effect on %s: no life_status column", strings.Join(noStatus, ", ")))
	}
	return nil
}

// object plans one object and, with Related, its details (and theirs).
func (p *plan) object(req Request, objs []catalog.Object) error {
	main, err := findObject(objs, req.Object)
	if err != nil {
		return err
	}
	cond, err := compileWhere(req.Where, main, p.zone)
	if err != nil {
		return err
	}
	details := detailsOf(main, objs)
	keyed := req.Related && !req.WithIDs && len(details) > 0 && hasField(main, "id")
	cols, header, err := columns(main, objs, req, req.Fields, keyed, nil)
	if err != nil {
		return err
	}
	if err := checkIDs(main, req.IDs); err != nil {
		return err
	}
	root := &query.Read{Object: main, Columns: cols, Where: cond, IDs: req.IDs, SkipVoided: !req.IncludeVoided}
	p.add(main, header, root)
	if req.IncludeVoided && !hasField(main, "life_status") {
		p.notes = append(p.notes, fmt.Sprintf("including voided records has no effect: %s has no life_status column", main.APIName))
	}
	if !req.Related {
		return nil
	}
	if len(details) == 0 {
		p.notes = append(p.notes, fmt.Sprintf("%s has no detail objects: only its own file is written", main.APIName))
	}
	return p.details(req, objs, root, keyed, map[string]bool{main.APIName: true})
}

// details plans the detail objects of master's read, recursively; the
// first level refers to the master's _key when keyed.
func (p *plan) details(req Request, objs []catalog.Object, master *query.Read, keyed bool, seen map[string]bool) error {
	for _, d := range detailsOf(master.Object, objs) {
		if seen[d.APIName] {
			// A detail of two objects that are both read: its records are
			// those of either master (a delete's backup must hold every
			// record that cascades).
			p.alsoMaster(d, master, linkField(d, master.Object))
			continue
		}
		seen[d.APIName] = true
		link := linkField(d, master.Object)
		var linkKey *catalog.Field
		if keyed {
			linkKey = link
		}
		sub := req
		sub.Fields = nil
		cols, header, err := columns(d, objs, sub, nil, false, linkKey)
		if err != nil {
			return err
		}
		r := &query.Read{Object: d, Columns: cols, SkipVoided: !req.IncludeVoided, Master: master, Link: link}
		p.add(d, header, r)
		if err := p.details(req, objs, r, false, seen); err != nil {
			return err
		}
	}
	return nil
}

// alsoMaster adds master as one more master of detail d's read, unless d
// is the export's main object, its read is keyed to its first master's
// rows (a related export without IDs), or master's read depends on d's (a
// cycle).
func (p *plan) alsoMaster(d *catalog.Object, master *query.Read, link *catalog.Field) {
	var r *query.Read
	for _, f := range p.files {
		if f.object.APIName == d.APIName {
			r = f.read
		}
	}
	if r == nil || r.Master == nil || link == nil || dependsOn(master, r) {
		return
	}
	for _, c := range r.Columns {
		if c.Kind == query.MasterRowKey {
			return
		}
	}
	r.Also = append(r.Also, query.MasterLink{Master: master, Link: link})
}

// dependsOn reports whether read r is, or is restricted through, read d.
func dependsOn(r, d *query.Read) bool {
	if r == nil {
		return false
	}
	if r == d || dependsOn(r.Master, d) {
		return true
	}
	for _, ml := range r.Also {
		if dependsOn(ml.Master, d) {
			return true
		}
	}
	return false
}

func (p *plan) add(o *catalog.Object, header []string, r *query.Read) {
	p.files = append(p.files, planFile{name: safeName(o.APIName) + ".csv", object: o, header: header, read: r})
}

// detailsOf lists the objects with a master–detail field that refers to o.
func detailsOf(o *catalog.Object, objs []catalog.Object) []*catalog.Object {
	var out []*catalog.Object
	for i := range objs {
		d := &objs[i]
		if d.APIName != o.APIName && linkField(d, o) != nil {
			out = append(out, d)
		}
	}
	return out
}

// linkField is d's master–detail field that refers to master, or nil.
func linkField(d, master *catalog.Object) *catalog.Field {
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Type == catalog.MasterDetail && strings.EqualFold(f.Target, master.APIName) && f.Column != "" {
			return f
		}
	}
	return nil
}

// findObject looks an object up by API or table name; an unknown one is
// NotFound with the nearest name and the list.
func findObject(objs []catalog.Object, name string) (*catalog.Object, error) {
	o, err := catalog.Find(objs, strings.TrimSpace(name))
	if err == nil {
		return o, nil
	}
	names := make([]string, len(objs))
	for i := range objs {
		names[i] = objs[i].APIName
	}
	hint := ""
	if near := nearest(name, names); near != "" {
		hint = fmt.Sprintf(": did you mean %q?", near)
	}
	return nil, apperr.Wrap(err, apperr.NotFound, "unknown object %q%s (objects: %s)", truncate(name), hint, strings.Join(names, ", "))
}

// dependencyOrder sorts objects so that every object comes after those it
// refers to (references in a cycle, and to itself, are left as they come),
// ties by API name.
func dependencyOrder(objs []catalog.Object) []*catalog.Object {
	byName := map[string]*catalog.Object{}
	for i := range objs {
		byName[strings.ToLower(objs[i].APIName)] = &objs[i]
	}
	deps := map[string]map[string]bool{}
	for i := range objs {
		o := &objs[i]
		deps[o.APIName] = map[string]bool{}
		for _, f := range o.Fields {
			if t, ok := byName[strings.ToLower(f.Target)]; ok && f.Type.References() && t.APIName != o.APIName {
				deps[o.APIName][t.APIName] = true
			}
		}
	}
	var out []*catalog.Object
	done := map[string]bool{}
	for len(out) < len(objs) {
		var ready []*catalog.Object
		for i := range objs {
			o := &objs[i]
			if done[o.APIName] {
				continue
			}
			ok := true
			for d := range deps[o.APIName] {
				ok = ok && done[d]
			}
			if ok {
				ready = append(ready, o)
			}
		}
		if len(ready) == 0 { // a cycle: take the first remaining
			for i := range objs {
				if !done[objs[i].APIName] {
					ready = append(ready, &objs[i])
					break
				}
			}
		}
		sort.Slice(ready, func(i, j int) bool { return ready[i].APIName < ready[j].APIName })
		for _, o := range ready {
			done[o.APIName] = true
			out = append(out, o)
		}
	}
	return out
}

func hasField(o *catalog.Object, column string) bool {
	for _, f := range o.Fields {
		if f.Column == column {
			return true
		}
	}
	return false
}

// safeName keeps a file name to letters, digits, '.', '-' and '_'.
func safeName(s string) string {
	b := []rune(strings.TrimSpace(s))
	for i, r := range b {
		if !(r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) {
			b[i] = '_'
		}
	}
	out := strings.Trim(string(b), ".")
	if out == "" {
		return "export"
	}
	return out
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// checkIDs checks record IDs against the type of o's id column: UUIDs for
// a CRM object (and wherever the type is not known), integers for an
// integer key, any text for a text key (a plain table's).
func checkIDs(o *catalog.Object, ids []string) error {
	typ := ""
	if f := fieldOf(o, "id"); f != nil {
		typ = f.DBType
	}
	for i, id := range ids {
		ok := true
		switch typ {
		case "", "uuid":
			_, err := uuid.Parse(id)
			ok = err == nil
		case "int2", "int4", "int8":
			_, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
			ok = err == nil
		default:
			ok = strings.TrimSpace(id) != "" && utf8.ValidString(id) && !strings.ContainsRune(id, 0)
		}
		if !ok {
			what := "a UUID"
			if typ != "" && typ != "uuid" {
				what = "a value of the " + typ + " id column"
			}
			return apperr.New(apperr.Invalid, "record ID %d, %q, is not a record ID (%s)", i+1, truncate(id), what)
		}
	}
	return nil
}

func fieldOf(o *catalog.Object, name string) *catalog.Field {
	f, err := o.Field(name)
	if err != nil {
		return nil
	}
	return f
}
