package export

import (
	"context"
	"io"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/query"
)

// Counted is how many records an export would write, counted exactly in one
// snapshot: the main object's (or, for All, every object's) records that
// the filter and the voided switch keep.
type Counted struct {
	Rows int64 `json:"rows"`
	// Objects is the count per object, in file order.
	Objects []ObjectCount `json:"objects"`
}

// ObjectCount is one object's count.
type ObjectCount struct {
	Object string `json:"object"`
	Rows   int64  `json:"rows"`
}

// Count counts what req would export from the CRM crmName, without writing
// anything: the page's live count while the filter is edited. Errors are
// those of Start for the request (an unknown field, a filter that does not
// fit) and of the CRM.
func (s *Service) Count(ctx context.Context, crmName string, req Request) (Counted, error) {
	if err := req.check(); err != nil {
		return Counted{}, err
	}
	spec, err := s.ws.Conns.Resolve(ctx, strings.TrimSpace(crmName))
	if err != nil {
		return Counted{}, err
	}
	t, err := crm.Open(ctx, spec)
	if err != nil {
		return Counted{}, err
	}
	defer t.Close()
	return CountTarget(ctx, t, req)
}

// CountTarget is Count over an open target.
func CountTarget(ctx context.Context, t crm.Target, req Request) (Counted, error) {
	reader, ok := t.(snapshotReader)
	if !ok {
		return Counted{}, apperr.New(apperr.Invalid, "%s cannot be exported from", t.Describe())
	}
	// Details follow their masters: count the objects the request names.
	req.Related = false
	p, err := newPlan(ctx, t, req)
	if err != nil {
		return Counted{}, err
	}
	sess, err := reader.BeginRead(ctx, query.Options{Zone: p.zone, Workers: 1})
	if err != nil {
		return Counted{}, err
	}
	defer sess.Close()
	out := Counted{Objects: []ObjectCount{}}
	for _, f := range p.files {
		r := *f.read
		// One column is enough to count the rows.
		if len(r.Columns) > 1 && !r.HasRowKey() {
			r.Columns = r.Columns[:1]
		}
		n, err := sess.Copy(ctx, &r, io.Discard, nil)
		if err != nil {
			return Counted{}, err
		}
		out.Rows += n
		out.Objects = append(out.Objects, ObjectCount{Object: f.object.APIName, Rows: n})
	}
	return out, nil
}
