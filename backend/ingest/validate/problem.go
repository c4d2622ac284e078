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

// Problem is one bad value (or bad row) of the file.
type Problem struct {
	// Row is the file line the record starts on (the header is line 1).
	Row int `json:"row"`
	// Column is the header name ("" for a row problem).
	Column string `json:"column"`
	// Field is the target field's API name ("" for a row problem).
	Field string `json:"field"`
	Code  Code   `json:"code"`
	// Message says what is wrong in words a consultant understands.
	Message string `json:"message"`
	// Value is the cell as read (cut to 200 characters).
	Value string `json:"value"`
}

// Error returns "row N, column C: message".
func (p Problem) Error() string {
	if p.Column == "" {
		return "row " + itoa(p.Row) + ": " + p.Message
	}
	return "row " + itoa(p.Row) + ", column " + p.Column + ": " + p.Message
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
