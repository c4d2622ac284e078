package pipeline_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"batchdesk/backend/imports/pipeline"
	"batchdesk/backend/imports/source"
)

// TestFileChangedMidImport: a file that shrinks or grows while the job
// reads it ends the job with an error saying so (ErrChanged), never a
// quiet "done" over rows that are not the file's. The change is made from
// the failed-row hook of an early bad row, while the reader is mid-file.
func TestFileChangedMidImport(t *testing.T) {
	eachDemo(t, func(t *testing.T, tg target) {
		for _, change := range []string{"shrink", "grow"} {
			for _, validateOnly := range []bool{true, false} {
				var b strings.Builder // keys of their own: rows of earlier runs are in the CRM
				b.WriteString("Name,No,Employees,Revenue,Owner,Note\nBad,CH-0,ten,1,,x\n")
				for i := 1; b.Len() < 1<<20; i++ {
					fmt.Fprintf(&b, "Changed %d,CH-%s-%v-%d,%d,1,,x\n", i, change, validateOnly, i, i%100)
				}
				file := write(t, "changing.csv", b.String())
				var once sync.Once
				hook := func(pipeline.FailedRow) {
					once.Do(func() {
						var err error
						if change == "shrink" {
							err = os.Truncate(file, int64(b.Len()/2))
						} else {
							var f *os.File
							if f, err = os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0); err == nil {
								_, err = f.WriteString("Late,CH-X,1,1,,x\n")
								f.Close()
							}
						}
						if err != nil {
							t.Error(err)
						}
					})
				}
				_, err := pipeline.Run(t.Context(), pipeline.Request{Target: tg.Target, Object: "Account", Mapping: accountMapping(),
					Files: []string{file}, ValidateOnly: validateOnly, OnFailedRow: hook}, nil)
				if !errors.Is(err, source.ErrChanged) || !strings.Contains(err.Error(), "changed while it was read") {
					t.Errorf("%s, validateOnly %v: error = %v; want the file changed", change, validateOnly, err)
				}
			}
		}
	})
}
