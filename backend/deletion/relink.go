package deletion

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
)

// selfReferences are the object's lookups to itself (a parent account):
// columns a restore can only set once every record is back.
func selfReferences(o *catalog.Object) []string {
	var out []string
	for _, f := range o.Fields {
		if f.Column != "" && f.Type.References() && strings.EqualFold(f.Target, o.APIName) {
			out = append(out, f.APIName)
		}
	}
	return out
}

const utf8BOM = "\uFEFF"

// splitSelfReferences rewrites a backup CSV into the file to insert (the
// self-referencing columns blank) and a links file (id and those columns,
// the rows that have one), both UTF-8 with BOM. links is "" when no row
// has a link.
func splitSelfReferences(path string, cols []string) (insert, links string, err error) {
	in, err := os.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", path, err)
	}
	defer in.Close()
	br := bufio.NewReader(in)
	if b, _ := br.Peek(3); string(b) == utf8BOM {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return "", "", apperr.Wrap(err, apperr.Conflict, "the backup file %s has no header", path)
	}
	idCol, linkCols, keepCols := -1, []int{}, []int{}
	for i, h := range header {
		switch h {
		case "id":
			idCol = i
		case "last_modified_by", "last_modified_at": // an update would stamp them anew
			keepCols = append(keepCols, i)
		}
		for _, c := range cols {
			if h == c {
				linkCols = append(linkCols, i)
			}
		}
	}
	if idCol < 0 || len(linkCols) == 0 {
		return path, "", nil
	}
	insert, links = strings.TrimSuffix(path, ".csv")+"-insert.csv", strings.TrimSuffix(path, ".csv")+"-links.csv"
	iw, err := newCSVFile(insert)
	if err != nil {
		return "", "", err
	}
	lw, err := newCSVFile(links)
	if err != nil {
		iw.close()
		return "", "", err
	}
	_ = iw.w.Write(header)
	lh := []string{"id"}
	for _, c := range append(linkCols, keepCols...) {
		lh = append(lh, header[c])
	}
	_ = lw.w.Write(lh)
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			iw.close()
			lw.close()
			return "", "", apperr.Wrap(err, apperr.Conflict, "the backup file %s is damaged: %v", path, err)
		}
		link := []string{rec[idCol]}
		has := false
		for _, c := range linkCols {
			link = append(link, rec[c])
			has = has || rec[c] != ""
			rec[c] = ""
		}
		for _, c := range keepCols {
			link = append(link, rec[c])
		}
		_ = iw.w.Write(rec)
		if has {
			_ = lw.w.Write(link)
			n++
		}
	}
	if err := iw.close(); err != nil {
		return "", "", err
	}
	if err := lw.close(); err != nil {
		return "", "", err
	}
	if n == 0 {
		links = ""
	}
	return insert, links, nil
}

type csvFile struct {
	f *os.File
	b *bufio.Writer
	w *csv.Writer
}

func newCSVFile(path string) (*csvFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	b := bufio.NewWriter(f)
	b.WriteString(utf8BOM)
	return &csvFile{f: f, b: b, w: csv.NewWriter(b)}, nil
}

func (c *csvFile) close() error {
	c.w.Flush()
	err := c.w.Error()
	if e := c.b.Flush(); err == nil {
		err = e
	}
	if e := c.f.Close(); err == nil {
		err = e
	}
	return err
}

// failedIDs reads the id column of an import's error report ("" = none).
func failedIDs(report string) (map[string]bool, error) {
	out := map[string]bool{}
	if report == "" {
		return out, nil
	}
	f, err := os.Open(report)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", report, err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if b, _ := br.Peek(3); string(b) == utf8BOM {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return out, nil
	}
	idCol := -1
	for i, h := range header {
		if h == "id" {
			idCol = i
		}
	}
	for idCol >= 0 {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if idCol < len(rec) {
			out[rec[idCol]] = true
		}
	}
	return out, nil
}

// dropIDs rewrites a links file without the rows of failed records; ""
// when no row is left.
func dropIDs(links string, failed map[string]bool) (string, error) {
	if len(failed) == 0 {
		return links, nil
	}
	b, err := os.ReadFile(links)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", links, err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), utf8BOM)))
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		return "", fmt.Errorf("read %s: %v", links, err)
	}
	out, err := newCSVFile(links)
	if err != nil {
		return "", err
	}
	n := 0
	for i, rec := range recs {
		if i > 0 && failed[rec[0]] {
			continue
		}
		_ = out.w.Write(rec)
		n++
	}
	if err := out.close(); err != nil {
		return "", err
	}
	if n <= 1 {
		return "", nil
	}
	return links, nil
}
