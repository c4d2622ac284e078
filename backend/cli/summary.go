package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// jobSummary is the last stdout line of a job run with --json (DESIGN §4).
type jobSummary struct {
	JobID      string  `json:"jobId"`
	Status     string  `json:"status"`
	Total      int64   `json:"total"`
	Succeeded  int64   `json:"succeeded"`
	Failed     int64   `json:"failed"`
	Added      int64   `json:"added"`   // of an import's succeeded: records inserted
	Updated    int64   `json:"updated"` // of an import's succeeded: records updated
	ErrorsFile *string `json:"errorsFile"`
	// ErrorsFiles are every object's report (a master–detail import has
	// one per object whose rows failed; the master's first).
	ErrorsFiles []reportView `json:"errorsFiles"`
	Seconds     float64      `json:"seconds"`
}

// reportView is one object's error report.
type reportView struct {
	Object string `json:"object"`
	Path   string `json:"path"`
	Rows   int64  `json:"rows"`
}

// reportsOf are the error reports of j that exist.
func reportsOf(j store.Job) []reportView {
	out := []reportView{}
	if j.Kind != store.JobImport {
		if j.ErrorReport != "" {
			out = append(out, reportView{Object: j.Object, Path: j.ErrorReport})
		}
		return out
	}
	for _, r := range imports.JobReports(j) {
		out = append(out, reportView(r))
	}
	return out
}

func summaryOf(j store.Job) jobSummary {
	s := jobSummary{JobID: j.ID, Status: j.Status, Total: j.Total, Succeeded: j.Succeeded,
		Failed: j.Failed, Added: j.Added, Updated: j.Updated, Seconds: jobSeconds(j), ErrorsFiles: reportsOf(j)}
	if j.ErrorReport != "" {
		p := j.ErrorReport
		s.ErrorsFile = &p
	}
	return s
}

// jobSeconds is the run's duration in seconds, to the millisecond.
func jobSeconds(j store.Job) float64 { return jobs.Summarize(j, time.Now()).Seconds }

// printSummary ends a job's output: one JSON line with --json, otherwise a
// few lines for people.
func printSummary(env *Env, j store.Job, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(summaryOf(j))
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return
	}
	fmt.Fprintf(env.Stdout, "Job %s: %s\n", j.ID, j.Status)
	fmt.Fprintf(env.Stdout, "  %d rows: %d succeeded, %d failed (%.1f s)\n", j.Total, j.Succeeded, j.Failed, jobSeconds(j))
	if j.Added > 0 && j.Updated > 0 {
		fmt.Fprintf(env.Stdout, "  %d added, %d updated\n", j.Added, j.Updated)
	}
	reports := reportsOf(j)
	for _, r := range reports {
		if len(reports) == 1 {
			fmt.Fprintf(env.Stdout, "  error report: %s\n", r.Path)
		} else {
			fmt.Fprintf(env.Stdout, "  error report (%s, %d rows): %s\n", r.Object, r.Rows, r.Path)
		}
	}
	if jobs.Resumable(j.Status) {
		fmt.Fprintf(env.Stdout, "  continue with: batchdesk jobs resume %s\n", j.ID)
	}
}

// jobExit maps a finished job to the command's result: nil (exit 0) when
// every row succeeded, ErrRowsFailed (exit 1) when some failed or the job was
// canceled, and an error (exit 2) when it could not run to its end —
// failed, or interrupted by a lost connection (DESIGN §4).
func jobExit(j store.Job, runErr error) error {
	switch j.Status {
	case store.StatusDone:
		if j.Failed > 0 {
			return ErrRowsFailed
		}
		return nil
	case store.StatusCanceled:
		return ErrRowsFailed
	case store.StatusInterrupted:
		msg := j.Message
		if msg == "" || msg == "running" {
			msg = "the connection to the CRM was lost"
		}
		return apperr.New(apperr.Unavailable, "job %s was interrupted: %s; continue it with: batchdesk jobs resume %s", j.ID, msg, j.ID)
	}
	if runErr != nil {
		return runErr
	}
	msg := j.Message
	if msg == "" {
		msg = "the job could not run to its end"
	}
	return apperr.New(apperr.Internal, "job %s failed: %s", j.ID, msg)
}
