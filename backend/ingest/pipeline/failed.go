package pipeline

import "batchdesk/backend/ingest/validate"

// FailedRow is one row that failed — in validation or rejected by the
// server — as Request.OnFailedRow receives it, and as a job's problem log
// keeps it for the preview grid.
type FailedRow struct {
	// File is the path of the file the row is in (the problem log keeps
	// its base name).
	File string `json:"file"`
	// Object is the API name of the object the row was for (a detail's in
	// a master–detail import).
	Object string `json:"object,omitempty"`
	// Line is the file line the record starts on (the header is line 1).
	Line int64 `json:"line"`
	// Cells are the row's original values in the file's header order (nil
	// when a rejected row could not be read from the file again).
	Cells []string `json:"cells"`
	// Problems are all of the row's problems, each with its place (File
	// the base name of File, Line the row's).
	Problems []validate.Problem `json:"problems"`
}
