package validate

// Code is a stable, machine-readable problem code.
type Code string

// The problem codes. They are stable: the UI, the error report and tests
// match on them.
const (
	CodeRequired     Code = "required"        // a required field is blank
	CodeBadText      Code = "bad_text"        // bytes not valid in the file's encoding (the row is not read)
	CodeTooLong      Code = "too_long"        // text over the field's max length (in characters)
	CodeNotNumber    Code = "not_number"      // not a number in the column's number format
	CodeNotInteger   Code = "not_integer"     // a number with decimals for an integer field
	CodeOutOfRange   Code = "out_of_range"    // a number outside its column type's range (int2, int4, int8, oid, float, money)
	CodeTooManyDigit Code = "too_many_digits" // more digits than numeric(p,s) holds
	CodeBadDate      Code = "bad_date"        // not a date/datetime in the column's format, or no such day
	CodeBadBool      Code = "bad_bool"        // not true/false, yes/no, y/n, 1/0, 是/否
	CodeBadPicklist  Code = "bad_picklist"    // not an option (by value or label)
	CodeBadEmail     Code = "bad_email"
	CodeBadPhone     Code = "bad_phone"
	CodeBadURL       Code = "bad_url"
	CodeBadUUID      Code = "bad_uuid"
	CodeBadReference Code = "bad_reference" // a reference by ID that is not a UUID
	CodeDuplicateKey Code = "duplicate_key" // a unique or key value seen on an earlier row of the file
	CodeRaggedRow    Code = "ragged_row"    // more or fewer fields than the header
	CodeBadQuote     Code = "bad_quote"     // a misplaced quote made the row unreadable
	CodeBadValue     Code = "bad_value"     // not a value of the column's type (e.g. not valid JSON)
)

// Codes lists every code, for documentation and exhaustive tests.
var Codes = []Code{CodeRequired, CodeBadText, CodeTooLong, CodeNotNumber, CodeNotInteger, CodeOutOfRange,
	CodeTooManyDigit, CodeBadDate, CodeBadBool, CodeBadPicklist, CodeBadEmail, CodeBadPhone,
	CodeBadURL, CodeBadUUID, CodeBadReference, CodeDuplicateKey, CodeRaggedRow, CodeBadQuote, CodeBadValue}

// Problem is one problem of a row, with its place: the one shape a row
// problem has from validation through the load step's server rejections
// to the error report, the problem log and the preview grid. A server
// rejection's Code is one of load's Code* rather than a Code value.
type Problem struct {
	// File is the file's name (its base name; "" until the pipeline knows it).
	File string `json:"file,omitempty"`
	// Line is the file line the record starts on (the header is line 1).
	Line int64 `json:"line,omitempty"`
	// Header is the file's column header of the cell ("" for a problem of
	// the whole row, or a server problem about no mapped column).
	Header string `json:"column"`
	// Field is the target field's API name ("" when none).
	Field string `json:"field"`
	Code  Code   `json:"code"`
	// Message says what is wrong in words a consultant understands.
	Message string `json:"message"`
	// Value is the cell as read (cut to 200 characters; "" for a server
	// problem about no mapped column).
	Value string `json:"value"`
}

// Error returns "row N, column C: message".
func (p Problem) Error() string {
	if p.Header == "" {
		return "row " + itoa(int(p.Line)) + ": " + p.Message
	}
	return "row " + itoa(int(p.Line)) + ", column " + p.Header + ": " + p.Message
}

// Stats counts the rows and problems seen so far.
type Stats struct {
	Rows    int `json:"rows"`
	Valid   int `json:"valid"`
	Invalid int `json:"invalid"`
	// ByCode counts problems per code, ByColumn per header name ("" for row
	// problems).
	ByCode   map[Code]int   `json:"byCode"`
	ByColumn map[string]int `json:"byColumn"`
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
