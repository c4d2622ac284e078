package pipeline

// FailedRow is one row that failed — in validation or rejected by the
// server — as Request.OnFailedRow receives it.
type FailedRow struct {
	// File is the path of the file the row is in.
	File string
	// Object is the API name of the object the row was for (a detail's in
	// a master–detail import).
	Object string
	// Line is the file line the record starts on (the header is line 1).
	Line int64
	// Cells are the row's original values in the file's header order (nil
	// when a rejected row could not be read from the file again).
	Cells []string
	// Problems are all of the row's problems.
	Problems []RowProblem
}

// RowProblem is one problem of a failing row.
type RowProblem struct {
	// Column is the file's header of the cell ("" for the whole row, or a
	// server problem about no mapped column).
	Column string
	// Field is the target field's API name ("" when none).
	Field string
	// Code is a stable problem code: a validate.Code or one of load's Code*.
	Code string
	// Message says what is wrong in plain words.
	Message string
	// Value is the cell as read ("" for a row problem).
	Value string
}
