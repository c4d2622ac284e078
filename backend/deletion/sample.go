package deletion

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/fkgraph"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/export"
)

// MaxSample is the most records a Sample returns.
const MaxSample = 500

// Sample is some of the records a delete would remove (or, Blocked, some
// of those a reference holds), as an export writes them: the page shows
// them in a grid before anything runs.
type Sample struct {
	// Header is the field API names, id first.
	Header []string `json:"header"`
	// Rows are the records' cells in Header order.
	Rows [][]string `json:"rows"`
	// Blocked says these are blocked records, not those that go.
	Blocked bool `json:"blocked"`
}

// errEnough stops reading ids once a sample has as many as it wants.
var errEnough = errors.New("enough ids")

// Sample reads up to limit (at most MaxSample) of the records req would
// delete — or, with blocked, of the matching records a blocking reference
// holds — without changing anything. Errors are those of Preview.
func (s *Service) Sample(ctx context.Context, req Request, limit int, blocked bool) (Sample, error) {
	if limit <= 0 || limit > MaxSample {
		limit = MaxSample
	}
	t, err := s.open(ctx, req.CRM)
	if err != nil {
		return Sample{}, err
	}
	defer t.Close()
	p, err := resolve(ctx, t, req)
	if err != nil {
		return Sample{}, err
	}
	var ids []string
	err = t.Snapshot(ctx, func(q fkgraph.Querier) error {
		var lq fkgraph.Query
		var err error
		if blocked {
			lq, err = p.graph.ListBlocked(limit)
		} else {
			lq, err = p.graph.Capture()
		}
		if err != nil {
			return err
		}
		err = q.Strings(ctx, lq, func(id string) error {
			if len(ids) == limit {
				return errEnough
			}
			ids = append(ids, id)
			return nil
		})
		if errors.Is(err, errEnough) {
			return nil
		}
		return err
	})
	if err != nil {
		return Sample{}, wrapDB(err, "read the records to delete")
	}
	out := Sample{Header: []string{}, Rows: [][]string{}, Blocked: blocked}
	if len(ids) == 0 {
		return out, nil
	}
	return readSample(ctx, t, p.obj.APIName, ids, out)
}

// readSample exports the records ids of object into a temporary folder and
// reads the file back.
func readSample(ctx context.Context, t target, object string, ids []string, out Sample) (Sample, error) {
	dir, err := os.MkdirTemp("", "batchdesk-sample-")
	if err != nil {
		return Sample{}, apperr.Wrap(err, apperr.Internal, "cannot make a temporary folder: %v", err)
	}
	defer os.RemoveAll(dir)
	dest, err := local.New(dir)
	if err != nil {
		return Sample{}, err
	}
	defer dest.Close()
	res, err := export.Run(ctx, t, export.Request{Object: object, IDs: ids, WithIDs: true, NoBOM: true, Zone: "UTC"}, dest, nil)
	if err != nil {
		return Sample{}, err
	}
	if len(res.Files) == 0 {
		return out, nil
	}
	f, err := os.Open(filepath.Join(dir, res.Files[0].Name))
	if err != nil {
		return Sample{}, apperr.Wrap(err, apperr.Internal, "cannot read the sample: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return Sample{}, apperr.Wrap(err, apperr.Internal, "cannot read the sample: %v", err)
	}
	if len(recs) > 0 {
		out.Header, out.Rows = recs[0], recs[1:]
	}
	return out, nil
}
