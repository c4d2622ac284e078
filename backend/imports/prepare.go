package imports

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/connections"
	"batchdesk/backend/crm"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
	"batchdesk/backend/imports/source"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// prepared is an import resolved from its Request, ready to run as a job.
type prepared struct {
	saved        Request // what the job saves
	target       crm.Target
	object       *catalog.Object
	header       []string
	maxBytes     int64
	limits       source.Limits
	batchSize    int
	mapping      mapping.Mapping
	details      []pipeline.Detail
	fingerprints []store.JobFile
	errorsPath   string // "" = the default
	masterIDs    map[string]string
	zone         *time.Location // the connection's (nil = the computer's)
}

// mapper makes the mapping of one object's files from their header: the
// request's own (exact), or, completing a Form, auto-matched (formMapper).
type mapper interface {
	master(obj *catalog.Object, header []string, m mapping.Mapping) (mapping.Mapping, error)
	detail(obj *catalog.Object, header []string, m mapping.Mapping) (mapping.Mapping, error)
}

// exact takes a request's mappings as they are, checked against the
// header and the object.
type exact struct{}

func (exact) master(obj *catalog.Object, header []string, m mapping.Mapping) (mapping.Mapping, error) {
	return exactMapping(obj, header, m, string(m.Mode), m.Key)
}

func (exact) detail(obj *catalog.Object, header []string, m mapping.Mapping) (mapping.Mapping, error) {
	return exactMapping(obj, header, m, "insert", "")
}

// prepare resolves everything an import needs before a job exists, so
// every "cannot run" problem is found here: the request, the files (size,
// encoding, header), the CRM, the object, the key and the mappings. The
// caller closes p.target.
func (s *Service) prepare(ctx context.Context, req Request) (*prepared, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	p, err := s.resolve(ctx, req, exact{})
	if err != nil {
		return nil, err
	}
	if err := p.forJob(req); err != nil {
		p.target.Close()
		return nil, err
	}
	return p, nil
}

// resolve reads the settings, the files' headers, the CRM, the object and
// the mappings (made by m) of a checked req. The caller closes p.target.
func (s *Service) resolve(ctx context.Context, req Request, m mapper) (*prepared, error) {
	p := &prepared{saved: req}
	p.saved.CRM = crm.WithoutPassword(strings.TrimSpace(req.CRM))
	maxMB, err := p.readSettings(ctx, s.ws.Store, req)
	if err != nil {
		return nil, err
	}
	// Files first: a missing or oversized file needs no CRM to be refused.
	if p.header, err = sameHeader(req.Files, req.Formats, maxMB, p.limits); err != nil {
		return nil, err
	}
	if err := p.open(ctx, s.ws.Conns, req.CRM); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			p.target.Close()
		}
	}()
	if p.object, err = FindObject(ctx, p.target, req.object()); err != nil {
		return nil, err
	}
	p.saved.Object = p.object.APIName
	mode, key := string(req.Mapping.Mode), req.Mapping.Key
	if err := checkKey(p.object, &mode, &key); err != nil {
		return nil, err
	}
	want := req.Mapping
	want.Mode, want.Key = mapping.Mode(mode), key
	if p.mapping, err = m.master(p.object, p.header, want); err != nil {
		return nil, err
	}
	if err := checkRequired(p.object, p.mapping); err != nil {
		return nil, err
	}
	for _, d := range req.Details {
		if err := p.addDetail(ctx, req.Formats, d, maxMB, m); err != nil {
			return nil, err
		}
	}
	ok = true
	return p, nil
}

// forJob adds what the job records and needs: the files' fingerprints,
// the masters of an earlier job and the error report's path.
func (p *prepared) forJob(req Request) error {
	for _, f := range req.Files {
		fp, err := jobs.Fingerprint(f)
		if err != nil {
			return FileError(f, err)
		}
		p.fingerprints = append(p.fingerprints, fp)
	}
	var err error
	if p.masterIDs, err = readMasterIDs(req.MasterIDs); err != nil {
		return apperr.Wrap(err, apperr.Conflict, "cannot read the masters of the failed details: %v", err)
	}
	if req.Errors != "" {
		if p.errorsPath, err = filepath.Abs(req.Errors); err != nil {
			return fmt.Errorf("error report path: %w", err)
		}
	}
	return nil
}

// readSettings takes the file size limit, the value limits and the batch
// size from req, else from the settings; it returns the size limit in MiB.
func (p *prepared) readSettings(ctx context.Context, st *store.Store, req Request) (int, error) {
	var err error
	maxMB := req.MaxFileMB
	if maxMB == 0 {
		if maxMB, err = st.MaxFileMB(ctx); err != nil {
			return 0, err
		}
	}
	p.maxBytes = int64(maxMB) << 20
	if p.limits, err = readLimits(ctx, st); err != nil {
		return 0, err
	}
	if p.batchSize = req.BatchSize; p.batchSize == 0 {
		if p.batchSize, err = st.BatchSize(ctx); err != nil {
			return 0, err
		}
	}
	p.saved.BatchSize = p.batchSize
	return maxMB, nil
}

// sameHeader reads the header of each file (which must be the same) and
// checks that each has rows.
func sameHeader(files []string, formats map[string]source.Format, maxMB int, lim source.Limits) ([]string, error) {
	var first []string
	for i, f := range files {
		header, err := ReadHeader(f, formats[f], maxMB)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = header
		} else if !slices.Equal(header, first) {
			return nil, apperr.New(apperr.Invalid, "%s has other columns than %s: files of one import must have the same header", f, files[0])
		}
		if err := requireRows(f, formats[f], maxMB, lim); err != nil {
			return nil, err
		}
	}
	return first, nil
}

// open resolves the connection and opens the CRM, with its time zone.
func (p *prepared) open(ctx context.Context, conns *connections.Service, name string) error {
	spec, err := conns.Resolve(ctx, name)
	if err != nil {
		return err
	}
	if spec.Zone != "" {
		if p.zone, err = time.LoadLocation(spec.Zone); err != nil {
			return apperr.Wrap(err, apperr.Invalid, "the connection's time zone %q is unknown here", spec.Zone).For(SettingCRM)
		}
	}
	if crmOpened != nil {
		crmOpened()
	}
	p.target, err = crm.Open(ctx, spec)
	return err
}

// crmOpened, when set (by tests), is called each time an import is about
// to open its CRM.
var crmOpened func()

// addDetail checks one detail object and its files and adds it.
func (p *prepared) addDetail(ctx context.Context, formats map[string]source.Format, d pipeline.Detail, maxMB int, m mapper) error {
	obj, err := FindObject(ctx, p.target, d.Object)
	if err != nil {
		return err
	}
	if len(d.Files) == 0 {
		return apperr.New(apperr.Invalid, "the detail %s has no file", obj.APIName)
	}
	var header []string
	for _, f := range d.Files {
		if header, err = ReadHeader(f, formats[f], maxMB); err != nil {
			return err
		}
		if !slices.Contains(header, d.MasterColumn) {
			// The detail may hold the master's key in its own master–detail
			// column ("Opportunity") rather than under the master's key name.
			if alt := linkColumn(obj, p.object, header, d.Mapping); alt != "" {
				d.MasterColumn = alt
				continue
			}
			return apperr.New(apperr.Invalid, "the master key column %q: %s has no such column (columns: %s)", d.MasterColumn, f, strings.Join(header, ", ")).For(SettingMasterKey)
		}
	}
	if d.Mapping, err = m.detail(obj, header, d.Mapping); err != nil {
		return err
	}
	var link []string
	for _, f := range obj.Fields {
		if f.Type == catalog.MasterDetail && f.Target == p.object.APIName {
			link = append(link, f.APIName)
		}
	}
	if err := checkRequired(obj, d.Mapping, link...); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the detail %s: %s", obj.APIName, apperr.MessageOf(err))
	}
	d.Object = obj.APIName
	p.details = append(p.details, d)
	return nil
}

// linkColumn is the detail file's column for obj's field that refers to
// master (its master–detail field first): the one the detail's mapping
// (if any) puts on it, else the header that names it by API name or label ("" when
// none).
func linkColumn(obj, master *catalog.Object, header []string, m mapping.Mapping) string {
	var link *catalog.Field
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if f.Type.References() && strings.EqualFold(f.Target, master.APIName) && (link == nil || f.Type == catalog.MasterDetail) {
			link = f
		}
	}
	if link == nil {
		return ""
	}
	for h, c := range m.Columns {
		if strings.EqualFold(c.Field, link.APIName) && slices.Contains(header, h) {
			return h
		}
	}
	for _, h := range header {
		n := mapping.Normalize(h)
		for _, name := range []string{link.APIName, link.LabelEN, link.LabelZH} {
			if name != "" && n == mapping.Normalize(name) {
				return h
			}
		}
	}
	return ""
}

// ReadHeader opens a CSV file as an import will and returns its header;
// size, encoding and header problems become one clear line.
func ReadHeader(path string, f source.Format, maxMB int) ([]string, error) {
	if err := checkReadable(path); err != nil {
		return nil, err
	}
	opts, err := fileOptions(f, maxMB)
	if err != nil {
		return nil, err
	}
	sf, err := source.Open(path, opts)
	if errors.Is(err, source.ErrTooLarge) {
		return nil, apperr.Wrap(err, apperr.TooLarge,
			"%s is larger than the %d MB limit: split it into smaller files (e.g. by rows, keeping the header in each) or raise the file size limit (Settings)",
			path, maxMB).For(SettingMaxFileMB)
	}
	if err != nil {
		return nil, FileError(path, err)
	}
	defer sf.Close()
	return slices.Clone(sf.Header()), nil
}

// FindObject looks an object up, listing the known ones when it is unknown
// (code NotFound).
func FindObject(ctx context.Context, t crm.Target, name string) (*catalog.Object, error) {
	obj, err := t.Object(ctx, name)
	if errors.Is(err, catalog.ErrUnknownObject) {
		var names []string
		if objs, lerr := t.Objects(ctx); lerr == nil {
			for _, o := range objs {
				names = append(names, o.APIName)
			}
		}
		return nil, apperr.Wrap(err, apperr.NotFound, "unknown object %q in %s (objects: %s)", name, t.Describe(), strings.Join(names, ", "))
	}
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// checkKey checks the key against the object and defaults it for update
// and upsert (the record ID); a key without a mode means upsert.
func checkKey(obj *catalog.Object, mode, key *string) error {
	if *mode == "" || *mode == "insert" {
		if *key != "" && *mode == "" {
			*mode = "upsert"
		}
		if *mode == "" || *mode == "insert" {
			return nil
		}
	}
	switch k := strings.ToLower(*key); k {
	case "", "id":
		*key = "id"
	case "primary":
		if obj.Primary == "" {
			return apperr.New(apperr.Invalid, "the record key \"primary\": %s has no primary attribute; use the record ID or a unique field", obj.APIName).For(SettingKey)
		}
		*key = "primary"
	default:
		fld, err := obj.Field(*key)
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, "the record key %q: %s has no such field", *key, obj.APIName).For(SettingKey)
		}
		*key = fld.APIName
	}
	return nil
}
