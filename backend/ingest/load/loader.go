package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
)

// Loader writes the batches of one Plan. Load may be called from several
// goroutines at once (except when rehearsing); Close must be called once.
type Loader struct {
	plan    Plan
	obj     *catalog.Object
	be      backend
	lt      ledgerTarget // the resume ledger
	res     *resolver
	targets []*catalog.Object // per column: the referenced object (nil if none)
	keyIdx  int               // column of the key (-1 for insert)
	keyFld  *catalog.Field
	hasID   bool // the object has an id column
	genIDs  bool // new records get their ID from us (so teams and masters can link)
	teams   []int
	cols    cols
	// teamOnly: the plan's only mapped columns besides the key are team
	// columns (see prow.unchanged).
	teamOnly bool
}

// backend is one kind of database.
type backend interface {
	finder
	// write writes w in one transaction together with its ledger entry.
	write(ctx context.Context, l *Loader, w *work) error
	// close ends the rehearsal transaction (rolled back) and frees resources.
	close(ctx context.Context) error
}

// LedgerEntry is one committed batch as the resume ledger recorded it.
type LedgerEntry struct {
	Seq                 int
	FirstLine, LastLine int64
	Written             int64
	// Added is how many of Written were inserted (the rest were updated).
	Added  int64
	Errors []RowError
}

// result is the BatchResult of a batch the ledger recorded.
func (e LedgerEntry) result() BatchResult {
	return BatchResult{Seq: e.Seq, Written: e.Written, Added: e.Added, Updated: e.Written - e.Added, Errors: e.Errors, Skipped: true}
}

// New checks the plan against the object and opens what loading needs
// (the ledger tables are created on first use). Errors are *apperr.Error
// with code Invalid for a plan that cannot run.
func New(ctx context.Context, target crm.Target, plan Plan) (*Loader, error) {
	if plan.Object == nil {
		return nil, apperr.New(apperr.Invalid, "no target object")
	}
	if plan.Mode == "" {
		plan.Mode = Insert
	}
	if plan.Session != nil {
		plan.Rehearse = true
	}
	l := &Loader{plan: plan, obj: plan.Object, keyIdx: -1}
	if err := l.check(); err != nil {
		return nil, err
	}
	for i := range plan.Columns {
		f := &plan.Columns[i].Field
		var t *catalog.Object
		switch {
		case f.Type == catalog.RelatedTeam:
			l.teams = append(l.teams, i)
			t = &catalog.Object{APIName: "User"}
		case f.Type.References() && f.Target != "":
			t = &catalog.Object{APIName: f.Target}
		}
		if t != nil {
			o, err := target.Object(ctx, t.APIName)
			if err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "%s.%s refers to object %s, which the CRM does not have", l.obj.APIName, f.APIName, t.APIName)
			}
			t = o
		}
		l.targets = append(l.targets, t)
	}
	if idf, err := l.obj.Field("id"); err == nil && idf.Column != "" {
		l.hasID = true
		l.genIDs = idf.Type == catalog.UUID && l.colIndex("id") < 0
	}
	pg, lite, err := writerOf(target)
	if err != nil {
		return nil, err
	}
	if pg != nil {
		l.lt = pg
		l.be, err = newPG(ctx, pg, plan)
	} else {
		l.lt = lite
		l.be, err = newSQLite(ctx, lite, plan)
	}
	if err != nil {
		return nil, err
	}
	l.res = newResolver(l.be)
	l.cols = l.buildCols()
	l.teamOnly = l.onlyTeams()
	return l, nil
}

func (l *Loader) colIndex(api string) int {
	for i := range l.plan.Columns {
		if l.plan.Columns[i].Field.APIName == api {
			return i
		}
	}
	return -1
}

// check refuses plans that cannot run, with a message that says why.
func (l *Loader) check() error {
	p := l.plan
	switch p.Mode {
	case Insert:
		return nil
	case Update, Upsert:
	default:
		return apperr.New(apperr.Invalid, "unknown mode %q (use insert, update or upsert)", p.Mode)
	}
	key := p.Key
	switch key {
	case "":
		return apperr.New(apperr.Invalid, "mode %s needs a key: id, primary or a field", p.Mode)
	case KeyPrimary:
		if l.obj.PrimaryField() == nil {
			return apperr.New(apperr.Invalid, "%s has no primary attribute, so records cannot be identified by it: use the record ID (key id) or a unique field", l.obj.APIName)
		}
		key = l.obj.Primary
	}
	f, err := l.obj.Field(key)
	if err != nil || f.Column == "" {
		return apperr.New(apperr.Invalid, "%s has no field %q to identify records by", l.obj.APIName, p.Key)
	}
	l.keyFld = f
	if l.keyIdx = l.colIndex(f.APIName); l.keyIdx < 0 {
		return apperr.New(apperr.Invalid, "the key field %s is not mapped to a column of the file", f.APIName)
	}
	return nil
}

// Ledger returns the batches of this plan's job and stage that an earlier
// run committed (empty without a JobID or when rehearsing).
func (l *Loader) Ledger(ctx context.Context) (map[int]LedgerEntry, error) {
	if l.plan.JobID == "" || l.plan.Rehearse {
		return map[int]LedgerEntry{}, nil
	}
	return readLedger(ctx, l.lt, l.plan.JobID, l.plan.Stage)
}

// Load writes one batch. Row problems are in the result; the error is for
// the batch as a whole (ErrInterrupted, ErrLedgerMismatch, ctx's error or
// a database error).
func (l *Loader) Load(ctx context.Context, b Batch) (BatchResult, error) {
	res := BatchResult{Seq: b.Seq}
	if len(b.Rows) == 0 {
		return res, nil
	}
	var last error
	lost, transient := 0, 0
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if l.plan.JobID != "" && !l.plan.Rehearse && attempt > 0 {
			// A commit whose answer was lost may have landed: ask the ledger.
			if done, err := readLedger(ctx, l.lt, l.plan.JobID, l.plan.Stage); err == nil {
				if e, ok := done[b.Seq]; ok {
					return e.result(), nil
				}
			}
		}
		w, err := l.prepare(ctx, b)
		if err == nil {
			err = l.be.write(ctx, l, w)
		}
		if err == nil {
			l.recordKeys(w)
			failpoint(FailAfterCommit, b.Seq)
			return BatchResult{Seq: b.Seq, Written: w.written, Added: w.added, Updated: w.written - w.added, Errors: w.errs}, nil
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if errors.Is(err, errAlreadyDone) {
			done, lerr := readLedger(ctx, l.lt, l.plan.JobID, l.plan.Stage)
			if e, ok := done[b.Seq]; lerr == nil && ok {
				return e.result(), nil
			}
			return res, err
		}
		if errors.Is(err, ErrLedgerMismatch) || l.plan.Rehearse {
			return res, err
		}
		var delay time.Duration
		switch classify(err) {
		case classLost:
			last = err
			if lost >= len(retryDelays) {
				return res, fmt.Errorf("%w: batch %d: %v", ErrInterrupted, b.Seq, last)
			}
			delay = retryDelays[lost]
			lost++
		case classTransient:
			// A deadlock with another import (or a serialization failure):
			// the batch was rolled back whole; try it again shortly.
			if transient >= maxTransient {
				return res, fmt.Errorf("batch %d kept clashing with other sessions: %w", b.Seq, err)
			}
			transient++
			delay = time.Duration(25+rand.IntN(200)) * time.Millisecond
		case classClient:
			return res, apperr.Wrap(err, apperr.Internal, "batch %d (file lines %d–%d) could not be sent: %v — the data was encoded wrongly on this side, it was not refused by the server; the job can be resumed",
				b.Seq, b.Rows[0].Line, b.Rows[len(b.Rows)-1].Line, err)
		default:
			return res, err
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
}

// Check resolves the references and keys of one batch in bulk, read-only,
// and returns the rows that would fail on them: lookups that match no
// record or several, update keys with no record. It writes nothing, so a
// preview can show these problems before anything is sent.
//
// On PostgreSQL it also has the server's input functions read the values
// of the columns validation cannot check itself (inet, interval, arrays,
// bytea, …), in a transaction that is rolled back.
func (l *Loader) Check(ctx context.Context, b Batch) ([]RowError, error) {
	ic, checks := l.be.(inputChecker)
	checks = checks && len(b.Rows) > 0 && ic.needsInputCheck(ctx, l)
	if len(b.Rows) == 0 || (l.plan.Mode == Insert && !l.resolves() && !checks) {
		return nil, nil
	}
	w, err := l.prepare(ctx, b)
	if err != nil {
		return nil, err
	}
	if checks {
		bad, err := ic.checkInput(ctx, l, w)
		if err != nil {
			return nil, err
		}
		w.errs = append(w.errs, bad...)
		sortErrors(w)
	}
	return w.errs, nil
}

// resolves reports whether some column holds references to resolve.
func (l *Loader) resolves() bool {
	for _, t := range l.targets {
		if t != nil {
			return true
		}
	}
	return false
}

// maxTransient is how often a batch is tried again after a deadlock.
const maxTransient = 10

// retryDelays is the backoff between tries of a batch after a lost connection.
var retryDelays = []time.Duration{250 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}

// SetRetryDelays replaces the backoff between tries of a batch after a lost
// connection (len = the retries) and returns a func restoring the old one.
// For tests.
func SetRetryDelays(d []time.Duration) (restore func()) {
	old := retryDelays
	retryDelays = d
	return func() { retryDelays = old }
}

// Close ends the loader; when rehearsing it rolls everything back.
func (l *Loader) Close(ctx context.Context) error { return l.be.close(ctx) }

// recordKeys publishes the IDs of written rows (and failures) for details.
func (l *Loader) recordKeys(w *work) {
	km := l.plan.RecordKeys
	if km == nil {
		return
	}
	bad := map[int64]string{}
	for _, e := range w.errs {
		if bad[e.Line] == "" {
			bad[e.Line] = e.Message
		}
	}
	for i := range w.rows {
		r := &w.rows[i]
		if r.key == "" {
			continue
		}
		if msg, ok := bad[r.line]; ok {
			km.Fail(r.key, msg)
		} else if r.id != "" {
			km.Set(r.key, r.id)
		}
	}
	for key, msg := range w.failedKeys {
		km.Fail(key, msg)
	}
}

// audit is the audit-log entry of a written batch: the records it
// changed (rows that changed nothing are left out); ok is false when
// there is none to write (no such record, or a plain table without the
// CRM's audit log).
func (l *Loader) audit(w *work) (e crmdb.AuditEntry, ok bool) {
	n := w.written
	for i := range w.rows {
		if w.rows[i].unchanged {
			n--
		}
	}
	if !l.obj.FromCatalog || n <= 0 {
		return e, false
	}
	return crmdb.AuditEntry{ActorID: systemUser, Object: l.obj.APIName, Action: "import_" + string(l.plan.Mode),
		Records: n, JobID: l.plan.JobID, Detail: fmt.Sprintf("batch %d, file lines %d–%d", w.seq, w.first, w.last)}, true
}

// systemUser is the actor and default owner of every write.
const systemUser = crmdb.SystemUserID
