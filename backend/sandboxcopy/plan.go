package sandboxcopy

import (
	"fmt"
	"sort"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/demo"
)

// Records modes.
const (
	RecordsNone      = "none"
	RecordsReference = "reference"
	RecordsAll       = "all"
)

// DefaultMaxRows caps the records copied per object in reference mode.
const DefaultMaxRows = 100_000

// Options say what to copy.
type Options struct {
	// Objects are API (or table) names of the objects to rehearse on; empty
	// means every object. The objects they reference come too.
	Objects []string `json:"objects,omitempty"`
	// Records is RecordsNone, RecordsReference ("" too) or RecordsAll.
	Records string `json:"records"`
	// MaxRows caps the records per object: 0 means DefaultMaxRows in
	// reference mode and no cap in all mode.
	MaxRows int64 `json:"maxRows,omitempty"`
	// From names the source for Info (a saved connection's name or the URL
	// without its password); it is not used to connect.
	From string `json:"-"`
}

// plan is what a copy will do.
type plan struct {
	objects  []catalog.Object // in install order, Schema cleared
	source   map[string]*catalog.Object
	records  map[string]bool // objects whose records are copied
	maxRows  int64
	addUsers bool // the source has no User object: the CRM's own is added
	team     bool // the source has related-team members
	opt      Options
	from     string
}

// newPlan checks the options against the source's objects.
func newPlan(all []catalog.Object, opt Options) (*plan, error) {
	mode := opt.Records
	if mode == "" {
		mode = RecordsReference
	}
	if mode != RecordsNone && mode != RecordsReference && mode != RecordsAll {
		return nil, apperr.New(apperr.Invalid, "--records must be none, reference or all, not %q", clip(mode))
	}
	if opt.MaxRows < 0 {
		return nil, apperr.New(apperr.Invalid, "--max-rows must be a positive number")
	}
	opt.Records = mode
	p := &plan{source: map[string]*catalog.Object{}, records: map[string]bool{}, maxRows: opt.MaxRows,
		opt: opt, from: opt.From}
	if p.maxRows == 0 && mode == RecordsReference {
		p.maxRows = DefaultMaxRows
	}
	for i := range all {
		p.source[all[i].APIName] = &all[i]
	}
	var chosen []*catalog.Object
	if len(opt.Objects) == 0 {
		for i := range all {
			chosen = append(chosen, &all[i])
		}
	}
	for _, name := range opt.Objects {
		o, err := catalog.Find(all, strings.TrimSpace(name))
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the CRM has no object %q%s", clip(name), suggest(all, name))
		}
		chosen = append(chosen, o)
	}
	// The copy holds the chosen objects and, transitively, every object they
	// reference (the sandbox's foreign keys need the tables).
	keep := map[string]bool{}
	var visit func(o *catalog.Object)
	visit = func(o *catalog.Object) {
		if keep[o.APIName] {
			return
		}
		keep[o.APIName] = true
		for _, f := range o.Fields {
			if f.Type.References() {
				if t, ok := p.source[f.Target]; ok {
					visit(t)
				}
			}
		}
		if m, ok := p.source[o.Master]; ok {
			visit(m)
		}
	}
	for _, o := range chosen {
		visit(o)
	}
	// Records: the objects the chosen ones look up (reference), or those
	// and the chosen ones (all). Users always, when there are records.
	if mode != RecordsNone {
		for _, o := range chosen {
			if mode == RecordsAll {
				p.records[o.APIName] = true
			}
			for _, f := range o.Fields {
				if f.Type.References() {
					p.records[f.Target] = true
				}
			}
		}
		p.records["User"] = true
		// A copied record needs the records its required lookups and its
		// master point at; optional lookups are emptied instead.
		for grown := true; grown; {
			grown = false
			for name := range p.records {
				o := p.source[name]
				if o == nil {
					continue
				}
				for _, f := range o.Fields {
					if f.Type.References() && (f.Required || f.Type == catalog.MasterDetail) && !p.records[f.Target] {
						p.records[f.Target], grown = true, true
					}
				}
			}
		}
	}
	if _, ok := p.source["User"]; !ok {
		p.addUsers = true
		for _, o := range all {
			if strings.EqualFold(o.Table, crmdb.TableUsers) {
				return nil, apperr.New(apperr.Invalid, "the schema has its own table %q, which a sandbox keeps for the CRM's users; "+
					"copying it is not supported", o.Table)
			}
		}
	}
	for _, o := range all {
		for _, f := range o.Fields {
			if f.Type == catalog.RelatedTeam && keep[o.APIName] {
				p.team = true
			}
		}
	}
	// Install order: referenced objects first (depth-first), User first.
	done := map[string]bool{}
	var order func(o *catalog.Object)
	order = func(o *catalog.Object) {
		if done[o.APIName] {
			return
		}
		done[o.APIName] = true
		for _, f := range o.Fields {
			if t, ok := p.source[f.Target]; ok && f.Type.References() && keep[t.APIName] {
				order(t)
			}
		}
		c := *o
		c.Schema = ""
		c.FromCatalog = true
		c.Fields = append([]catalog.Field(nil), o.Fields...)
		p.objects = append(p.objects, c)
	}
	if p.addUsers {
		p.objects = append(p.objects, demo.Objects()[0])
	} else {
		order(p.source["User"])
		keep["User"] = true
	}
	names := make([]string, 0, len(keep))
	for n := range keep {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		order(p.source[n])
	}
	for _, o := range p.objects {
		for _, f := range o.Fields {
			if f.Type.References() && crmdb.KeyField(p.byName(f.Target)) == nil {
				return nil, apperr.New(apperr.Invalid, "%s.%s references %s, which has no id or unique field: the sandbox cannot hold that link",
					o.APIName, f.APIName, f.Target)
			}
		}
	}
	return p, nil
}

// byName returns the copied object with that API name.
func (p *plan) byName(name string) *catalog.Object {
	for i := range p.objects {
		if p.objects[i].APIName == name {
			return &p.objects[i]
		}
	}
	return &catalog.Object{APIName: name}
}

func suggest(all []catalog.Object, name string) string {
	names := make([]string, 0, len(all))
	for _, o := range all {
		names = append(names, o.APIName)
	}
	sort.Strings(names)
	return fmt.Sprintf(" (objects: %s)", clip(strings.Join(names, ", ")))
}

func clip(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}
