package source

import (
	"bytes"
	"encoding/csv"
	"io"
)

// Delimiters are the delimiters the sniffer chooses from, in order of
// preference when several fit equally.
var Delimiters = []rune{',', ';', '\t', '|'}

// sniffDelimiter picks the delimiter that splits the first lines of text
// (quotes respected) into the same number of fields, more than one. A
// sample cut off mid-file loses its last, partial line first. With no
// winner it returns ','.
func sniffDelimiter(text []byte, truncated bool) rune {
	if truncated {
		if i := bytes.LastIndexByte(text, '\n'); i > 0 {
			text = text[:i+1]
		}
	}
	best, bestScore := ',', 0.0
	for _, d := range Delimiters {
		counts := fieldCounts(text, d, 50)
		if len(counts) == 0 {
			continue
		}
		head := counts[0]
		if head < 2 {
			continue
		}
		same := 0
		for _, c := range counts {
			if c == head {
				same++
			}
		}
		// Consistency first, then more columns.
		score := float64(same)/float64(len(counts)) + float64(min(head, 1000))/1e6
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// fieldCounts parses up to n records of text with delimiter d.
func fieldCounts(text []byte, d rune, n int) []int {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = d
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	var counts []int
	for len(counts) < n {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A quote error in the sample: count it as a mismatch.
			counts = append(counts, -1)
			continue
		}
		counts = append(counts, len(rec))
	}
	return counts
}
