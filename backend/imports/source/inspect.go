package source

import (
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Info describes a file as read (DESIGN §4): the detected encoding and
// delimiter, the header, the number of data records and the first of them.
// `batchdesk inspect` prints it; inside imports.FileInfo it is what the
// window's files step shows.
type Info struct {
	Encoding  string   `json:"encoding"`
	Delimiter string   `json:"delimiter"`
	Header    []string `json:"header"`
	RowCount  int      `json:"rowCount"`
	// Records is the first rows, fields in header order.
	Records [][]string `json:"sample"`
	// Lines are the file lines the sample rows start on.
	Lines []int `json:"sampleLines"`
	// Rows holds the same first rows as Records, by header name.
	Rows []map[string]string `json:"-"`
	// Problems lists the ragged, badly quoted or invalid-text records of
	// the whole file (at most 100); ProblemRows counts them all.
	Problems    []*Error `json:"-"`
	ProblemRows int      `json:"-"`
	// Blank counts the rows skipped because all their cells are empty (not
	// in RowCount).
	Blank int `json:"-"`
}

// The sample rows are for a preview: a value keeps at most maxSampleValue
// bytes and all of them maxSampleBytes (the rest are cut, ending in "…"),
// so a file of rows near the limits is inspected in bounded memory.
const (
	maxSampleValue = 64 << 10
	maxSampleBytes = 4 << 20
)

// sampleValue copies v for the sample (not keeping its record's memory),
// cut to what the budget allows.
func sampleValue(v string, budget *int) string {
	n := min(len(v), maxSampleValue, max(*budget, 0))
	if n < len(v) {
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		*budget -= n
		return strings.Clone(v[:n]) + "…"
	}
	*budget -= n
	return strings.Clone(v)
}

// Inspect opens the file at path, counts its records and keeps the first
// nRows of them (20 when nRows < 0; values cut as sampleValue says).
// Errors are those of Open and Next.
func Inspect(path string, opts Options, nRows int) (Info, error) {
	if nRows < 0 {
		nRows = 20
	}
	f, err := Open(path, opts)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	info := Info{
		Encoding:  f.Encoding(),
		Delimiter: string(f.Delimiter()),
		Header:    slices.Clone(f.Header()),
		Rows:      []map[string]string{},
		Records:   [][]string{},
	}
	budget := maxSampleBytes
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Info{}, err
		}
		info.RowCount++
		if rec.Problem != nil {
			info.ProblemRows++
			if len(info.Problems) < 100 {
				info.Problems = append(info.Problems, rec.Problem)
			}
		}
		if len(info.Records) < nRows {
			fields := make([]string, len(rec.Fields))
			for i, v := range rec.Fields {
				fields[i] = sampleValue(v, &budget)
			}
			m := make(map[string]string, len(info.Header))
			for i, h := range info.Header {
				if i < len(fields) {
					m[h] = fields[i]
				} else {
					m[h] = ""
				}
			}
			info.Rows = append(info.Rows, m)
			info.Records = append(info.Records, fields)
			info.Lines = append(info.Lines, rec.Line)
		}
	}
	info.Blank = f.Blank()
	return info, nil
}
