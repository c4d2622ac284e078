package app

import (
	"encoding/json"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/export"
	"batchdesk/backend/filter"
	"batchdesk/backend/store"
)

func init() { addArea("export", false, func(a *App) any { return &ExportAPI{a} }) }

// ExportAPI is the export area of the surface: the live count, the
// filter's two forms (text and the condition builder's JSON), running an
// export as a job and what an export job wrote.
type ExportAPI struct{ *App }

// FilterForms is a filter in both of its forms: the canonical text of the
// filter language and the condition builder's JSON ("null": all records).
type FilterForms struct {
	Text string `json:"text"`
	JSON string `json:"json"`
}

// ExportJobInfo is what an export job's page shows beyond the summary:
// what it exported, where to, its files and the schedule that started it.
type ExportJobInfo struct {
	Request     export.Request `json:"request"`
	Destination string         `json:"destination"`
	Files       []export.File  `json:"files"`
	ScheduleID  string         `json:"scheduleId"`
	Note        string         `json:"note"`
}

func (a *App) exports() *export.Service { return export.NewService(a.ws, a.jobs, nil) }

// CountExport counts the records an export would write (the page's live
// count while the filter changes).
func (a *ExportAPI) CountExport(connection string, req export.Request) (export.Counted, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	n, err := a.exports().Count(ctx, connection, req)
	return n, fail(err)
}

// StartExport checks the export and runs it as a job; it returns the job's
// ID at once (progress comes as job events).
func (a *ExportAPI) StartExport(connection string, req export.Request, destination string) (string, error) {
	// The job outlives the call: it runs on the app's context.
	id, err := a.exports().Start(a.ctx, connection, req, destination)
	return id, fail(err)
}

// FilterFromText checks a filter written in the filter language against
// an object and returns both its forms.
func (a *ExportAPI) FilterFromText(connection, object, text string) (FilterForms, error) {
	return a.filterForms(connection, object, func(obj *catalog.Object) (*filter.Cond, error) {
		return filter.Compile(text, obj)
	})
}

// FilterFromJSON checks the condition builder's JSON form against an
// object and returns both forms (the text is canonical).
func (a *ExportAPI) FilterFromJSON(connection, object, jsonForm string) (FilterForms, error) {
	return a.filterForms(connection, object, func(obj *catalog.Object) (*filter.Cond, error) {
		return filter.FromJSON([]byte(jsonForm), obj)
	})
}

// ExportJob returns what an export job exported and wrote.
func (a *ExportAPI) ExportJob(id string) (ExportJobInfo, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	d, err := a.jobs.Get(ctx, id)
	if err != nil {
		return ExportJobInfo{}, fail(err)
	}
	if d.Job.Kind != store.JobExport {
		return ExportJobInfo{}, fail(apperr.New(apperr.Invalid, "job %s is not an export", id))
	}
	var set export.Settings
	_ = json.Unmarshal(d.Job.Settings, &set)
	out := ExportJobInfo{Request: set.Request, Destination: set.DestinationDescription, Files: export.FilesOf(d.Job.Files)}
	if out.Destination == "" {
		out.Destination = set.Destination
	}
	if out.Files == nil {
		out.Files = []export.File{}
	}
	if run, ok, err := a.ws.Store.RunOfJob(ctx, id); err == nil && ok {
		out.ScheduleID, out.Note = run.ScheduleID, run.Note
	}
	for _, e := range d.Events {
		if n, ok := strings.CutPrefix(e.Message, export.NotePrefix); ok && out.Note == "" {
			out.Note = n
		}
	}
	return out, nil
}

// filterForms reads a filter with read against the object and writes it
// back in both forms.
func (a *ExportAPI) filterForms(connection, object string, read func(*catalog.Object) (*filter.Cond, error)) (FilterForms, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	obj, err := a.describe(ctx, connection, object)
	if err != nil {
		return FilterForms{}, fail(err)
	}
	c, err := read(obj)
	if err != nil {
		return FilterForms{}, fail(err)
	}
	b, err := c.MarshalJSON()
	if err != nil {
		return FilterForms{}, fail(err)
	}
	return FilterForms{Text: c.String(), JSON: string(b)}, nil
}
