package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

var industries = []string{"Technology", "Finance", "Manufacturing", "Retail", "Healthcare", "Education", "Energy", "Logistics", "Media", "Other"}
var cities = []string{"Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Nanjing", "Suzhou", "Xi'an", "Tianjin"}
var words = []string{"alpha", "bravo", "delta", "echo", "global", "trading", "systems", "partners", "group", "holdings", "digital", "solutions"}

// crmColumns are the demo CRM Account's own columns the CRM-table case
// fills: the 12-column file less city and notes.
var crmColumns = columns[:10]

// generate writes a deterministic account CSV cut at limit bytes (whole
// rows only) and returns the number of data rows.
func generate(path string, limit int64) (int, error) { return generateCols(path, limit, len(columns)) }

// generateCols writes the first ncols columns of the account file (10 for
// the CRM's Account, 12 for the plain table).
func generateCols(path string, limit int64, ncols int) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(42, 7))
	header := strings.Join(columns[:ncols], ",") + "\n"
	w.WriteString(header)
	written := int64(len(header))
	base := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	var buf []byte
	n := 0
	for {
		buf = buf[:0]
		no := fmt.Sprintf("AC-%08d", n*7919%100000000) // unique, not in key order
		name := words[r.IntN(len(words))] + " " + words[r.IntN(len(words))] + " " + strconv.Itoa(n)
		buf = append(buf, no...)
		buf = append(buf, ',')
		buf = append(buf, name...)
		buf = append(buf, ',')
		buf = append(buf, industries[r.IntN(len(industries))]...)
		buf = fmt.Appendf(buf, ",%d.%02d,%d,+86 21 %04d %04d,", r.IntN(1e9), r.IntN(100), r.IntN(100000), r.IntN(10000), r.IntN(10000))
		buf = fmt.Appendf(buf, "contact%d@%s.example.com,https://www.%s%d.example.com,", n, words[r.IntN(len(words))], words[r.IntN(len(words))], n)
		buf = append(buf, base.AddDate(0, 0, r.IntN(27000)).Format("2006-01-02")...)
		if r.IntN(5) == 0 {
			buf = append(buf, ",true"...)
		} else {
			buf = append(buf, ",false"...)
		}
		city, year, word := cities[r.IntN(len(cities))], 1990+r.IntN(35), words[r.IntN(len(words))]
		if ncols <= 10 {
			for i, commas := 0, 0; i < len(buf); i++ { // keep the first ncols fields
				if buf[i] == ',' {
					if commas++; commas == ncols {
						buf = buf[:i]
						break
					}
				}
			}
			buf = append(buf, '\n')
			if written+int64(len(buf)) > limit {
				break
			}
			w.Write(buf)
			written += int64(len(buf))
			n++
			continue
		}
		buf = append(buf, ',')
		buf = append(buf, city...)
		buf = append(buf, ",\"Key customer since "...)
		buf = strconv.AppendInt(buf, int64(year), 10)
		buf = append(buf, "; renewal "...)
		buf = append(buf, word...)
		buf = append(buf, ", prefers email\"\n"...)
		if written+int64(len(buf)) > limit {
			break
		}
		w.Write(buf)
		written += int64(len(buf))
		n++
	}
	return n, w.Flush()
}
