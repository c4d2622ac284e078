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
	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/jobs"
	"batchdesk/backend/presets"
	"batchdesk/backend/store"
)

// prepared is an import resolved from its Settings, ready to run as a job.
type prepared struct {
	saved        Settings // what the job saves
	target       crm.Target
	object       *catalog.Object
	header       []string
	maxBytes     int64
	limits       source.Limits
	batchSize    int
	mapping      mapping.Mapping
	preset       *mapping.Preset // the preset the mapping starts from, if any
	details      []pipeline.Detail
	fingerprints []store.JobFile
	errorsPath   string // "" = the default
	masterIDs    map[string]string
	zone         *time.Location // the connection's (nil = the computer's)
}

// prepare resolves everything an import needs before a job exists, so
// every "cannot run" problem is found here: the settings, the preset, the
// files (size, encoding, header), the CRM, the object, the key and the
// mapping. The caller closes p.target.
func (s *Service) prepare(ctx context.Context, set Settings) (*prepared, error) {
	if err := set.check(); err != nil {
		return nil, err
	}
	st := s.ws.Store
	p := &prepared{saved: set}
	p.saved.CRM = withoutPassword(strings.TrimSpace(set.CRM))
	var err error
	if set.Preset != "" && set.PresetBody == nil && set.Mapping == nil {
		pr, err := presets.Load(ctx, st, set.Preset)
		if err != nil {
			return nil, err
		}
		if p.saved.PresetBody, err = mapping.Encode(pr); err != nil {
			return nil, err
		}
	}
	if p.saved.PresetBody != nil {
		pr, err := presets.Parse(p.saved.PresetBody)
		if err != nil {
			return nil, err
		}
		p.preset = &pr
	}
	object := set.Object
	if object == "" && set.Mapping != nil {
		object = set.Mapping.Object
	}
	if object == "" && p.preset != nil {
		if object = p.preset.Object; object == "" {
			return nil, apperr.New(apperr.Invalid, "preset %q names no object: name the object to import into", set.Preset).For(SettingObject)
		}
	}
	maxMB := set.MaxFileMB
	if maxMB == 0 {
		if maxMB, err = st.MaxFileMB(ctx); err != nil {
			return nil, err
		}
	}
	p.maxBytes = int64(maxMB) << 20
	if p.limits, err = readLimits(ctx, st); err != nil {
		return nil, err
	}
	if p.batchSize = set.BatchSize; p.batchSize == 0 {
		if p.batchSize, err = st.BatchSize(ctx); err != nil {
			return nil, err
		}
	}
	p.saved.BatchSize = p.batchSize
	// Files first: a missing or oversized file needs no CRM to be refused.
	for i, f := range set.Files {
		header, err := ReadHeader(f, set.format(f), maxMB)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			p.header = header
		} else if !slices.Equal(header, p.header) {
			return nil, apperr.New(apperr.Invalid, "%s has other columns than %s: files of one import must have the same header", f, set.Files[0])
		}
		if err := requireRows(f, set.format(f), maxMB, p.limits); err != nil {
			return nil, err
		}
	}
	spec, err := s.ws.Conns.Resolve(ctx, set.CRM)
	if err != nil {
		return nil, err
	}
	if spec.Zone != "" {
		if p.zone, err = time.LoadLocation(spec.Zone); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the connection's time zone %q is unknown here", spec.Zone).For(SettingCRM)
		}
	}
	if p.target, err = crm.Open(ctx, spec); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			p.target.Close()
		}
	}()
	if p.object, err = FindObject(ctx, p.target, object); err != nil {
		return nil, err
	}
	p.saved.Object = p.object.APIName
	if err := p.resolveMapping(&set); err != nil {
		return nil, err
	}
	if err := checkRequired(p.object, p.mapping); err != nil {
		return nil, err
	}
	for _, d := range set.details() {
		if err := p.addDetail(ctx, &set, d, maxMB); err != nil {
			return nil, err
		}
	}
	for _, f := range set.Files {
		fp, err := jobs.Fingerprint(f)
		if err != nil {
			return nil, FileError(f, err)
		}
		p.fingerprints = append(p.fingerprints, fp)
	}
	if p.masterIDs, err = readMasterIDs(set.MasterIDs); err != nil {
		return nil, apperr.Wrap(err, apperr.Conflict, "cannot read the masters of the failed details: %v", err)
	}
	if set.Errors != "" {
		if p.errorsPath, err = filepath.Abs(set.Errors); err != nil {
			return nil, fmt.Errorf("error report path: %w", err)
		}
	}
	ok = true
	return p, nil
}

// resolveMapping makes the master's mapping: the request's own, or the
// preset's (or auto-matched) columns with Maps on top.
func (p *prepared) resolveMapping(set *Settings) error {
	mode, key := set.Mode, set.Key
	if set.Mapping != nil {
		if mode == "" {
			mode = string(set.Mapping.Mode)
		}
		if key == "" {
			key = set.Mapping.Key
		}
	}
	if err := checkKey(p.object, &mode, &key); err != nil {
		return err
	}
	var err error
	if set.Mapping != nil {
		p.mapping, err = exactMapping(p.object, p.header, *set.Mapping, mode, key)
		return err
	}
	if err := checkMaps(p.object, p.header, set.Maps); err != nil {
		return err
	}
	p.mapping, err = buildMapping(p.object, p.header, p.preset, set.Maps, mode, key)
	return err
}

// addDetail checks one detail object and its files and adds it.
func (p *prepared) addDetail(ctx context.Context, set *Settings, d DetailFiles, maxMB int) error {
	obj, err := FindObject(ctx, p.target, d.Object)
	if err != nil {
		return err
	}
	if len(d.Files) == 0 {
		return apperr.New(apperr.Invalid, "the detail %s has no file", obj.APIName)
	}
	var header []string
	for _, f := range d.Files {
		if header, err = ReadHeader(f, set.format(f), maxMB); err != nil {
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
	var m mapping.Mapping
	if d.Mapping != nil {
		m, err = exactMapping(obj, header, *d.Mapping, "insert", "")
	} else {
		m, err = buildMapping(obj, header, nil, nil, "insert", "")
	}
	if err != nil {
		return err
	}
	var link []string
	for _, f := range obj.Fields {
		if f.Type == catalog.MasterDetail && f.Target == p.object.APIName {
			link = append(link, f.APIName)
		}
	}
	if err := checkRequired(obj, m, link...); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the detail %s: %s", obj.APIName, apperr.MessageOf(err))
	}
	p.details = append(p.details, pipeline.Detail{Object: obj.APIName, Files: d.Files, Mapping: m, MasterColumn: d.MasterColumn})
	return nil
}

// linkColumn is the detail file's column for obj's field that refers to
// master (its master–detail field first): the one the detail's mapping
// puts on it, else the header that names it by API name or label ("" when
// none).
func linkColumn(obj, master *catalog.Object, header []string, m *mapping.Mapping) string {
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
	if m != nil {
		for h, c := range m.Columns {
			if strings.EqualFold(c.Field, link.APIName) && slices.Contains(header, h) {
				return h
			}
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

// format is how to read the file at path.
func (s *Settings) format(path string) Format {
	if f, ok := s.Formats[path]; ok {
		return f
	}
	return Format{Encoding: s.Encoding, Delimiter: s.Delimiter}
}

// ReadHeader opens a CSV file as an import will and returns its header;
// size, encoding and header problems become one clear line.
func ReadHeader(path string, f Format, maxMB int) ([]string, error) {
	if err := checkReadable(path); err != nil {
		return nil, err
	}
	opts, err := SourceOptions(f.Encoding, f.Delimiter, maxMB)
	if err != nil {
		return nil, err
	}
	sf, err := source.Open(path, opts)
	if errors.Is(err, source.ErrTooLarge) {
		return nil, apperr.Wrap(err, apperr.TooLarge,
			"%s is larger than the %d MB limit: split it into smaller files (e.g. by rows, keeping the header in each) or raise the file size limit (Settings)",
			path, maxMB)
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
