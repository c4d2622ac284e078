package imports

import (
	"context"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/presets"
	"batchdesk/backend/imports/source"
	"batchdesk/backend/store"
)

// Complete turns the command line's form into the complete Request the
// window would send: the preset loaded (by name or file), the master
// files' headers matched to fields — the preset's columns instead when
// there is one — with the maps on top, each detail file matched by the
// preset's detail of its object (else automatically) with its master
// column (--master-key, else the preset's), and every file read as the
// form says. It finds every problem Start would find, in the same order.
func (s *Service) Complete(ctx context.Context, f Form) (Request, error) {
	req, p, err := s.completeForm(ctx, f)
	if err != nil {
		return Request{}, err
	}
	p.target.Close()
	return req, nil
}

// StartForm is Start(Complete(f)) with the CRM opened and the files'
// headers read once, not again by Start: the completed request is what
// Start would resolve, so its resolution is kept for the job. It finds the
// same problems in the same order and saves the same settings.
func (s *Service) StartForm(ctx context.Context, f Form) (string, error) {
	req, p, err := s.completeForm(ctx, f)
	if err != nil {
		return "", err
	}
	if err := req.check(); err != nil {
		p.target.Close()
		return "", err
	}
	// What Start saves: the complete request, as it checked it.
	p.saved.Mapping, p.saved.Details = req.Mapping, req.Details
	if err := p.forJob(req); err != nil {
		p.target.Close()
		return "", err
	}
	return s.startNew(ctx, p, "")
}

// completeForm is Complete, keeping the resolution (the caller closes
// p.target).
func (s *Service) completeForm(ctx context.Context, f Form) (Request, *prepared, error) {
	if err := f.check(); err != nil {
		return Request{}, nil, err
	}
	format, err := ParseFormat(f.Encoding, f.Delimiter)
	if err != nil {
		return Request{}, nil, err
	}
	preset, err := formPreset(ctx, s.ws.Store, f)
	if err != nil {
		return Request{}, nil, err
	}
	if len(f.Details) > 0 && f.masterKey(preset) == "" {
		return Request{}, nil, errNoMasterKey()
	}
	req := Request{CRM: f.CRM, Object: f.Object, Mapping: mapping.Mapping{Mode: mapping.Mode(f.Mode), Key: f.Key},
		Files: f.Files, BatchSize: f.BatchSize, MaxFileMB: f.MaxFileMB, Rehearse: f.Rehearse,
		ValidateOnly: f.ValidateOnly, Errors: f.Errors, MasterKey: f.masterKey(preset), Details: f.detailsWith(preset), MasterIDs: f.MasterIDs}
	if req.Object == "" && preset != nil {
		if req.Object = preset.Object; req.Object == "" {
			return Request{}, nil, apperr.New(apperr.Invalid, "preset %q names no object: name the object to import into", f.Preset).For(SettingObject)
		}
	}
	if format != (source.Format{}) {
		req.Formats = map[string]source.Format{}
		for _, p := range f.Files {
			req.Formats[p] = format
		}
		for _, d := range req.Details {
			for _, p := range d.Files {
				req.Formats[p] = format
			}
		}
	}
	p, err := s.resolve(ctx, req, formMapper{preset: preset, maps: f.Maps})
	if err != nil {
		return Request{}, nil, err
	}
	req.Object, req.Mapping, req.Details = p.object.APIName, p.mapping, p.details
	return req, p, nil
}

// formPreset is the preset a form names (nil when none).
func formPreset(ctx context.Context, st *store.Store, f Form) (*mapping.Preset, error) {
	body := f.PresetBody
	if f.Preset != "" && body == nil {
		pr, err := presets.Load(ctx, st, f.Preset)
		if err != nil {
			return nil, err
		}
		return &pr, nil
	}
	if body == nil {
		return nil, nil
	}
	pr, err := presets.Parse(body)
	if err != nil {
		return nil, err
	}
	return &pr, nil
}

// formMapper maps a form's files: the master's by the preset (or
// auto-matching) with the maps on top, each detail's by the preset's
// detail of its object (or auto-matching).
type formMapper struct {
	preset *mapping.Preset
	maps   []string
}

func (f formMapper) master(obj *catalog.Object, header []string, m mapping.Mapping) (mapping.Mapping, error) {
	if err := checkMaps(obj, header, f.maps); err != nil {
		return mapping.Mapping{}, err
	}
	return buildMapping(obj, header, f.preset, f.maps, string(m.Mode), m.Key)
}

func (f formMapper) detail(obj *catalog.Object, header []string, _ mapping.Mapping) (mapping.Mapping, error) {
	var from *mapping.Preset
	if dp := presetDetail(f.preset, obj.APIName); dp != nil {
		from = &mapping.Preset{Mapping: mapping.Mapping{Object: obj.APIName, Columns: dp.Columns}}
	}
	return buildMapping(obj, header, from, nil, "insert", "")
}
