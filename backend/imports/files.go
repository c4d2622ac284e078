package imports

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/source"
)

// FileInfo is what the files step shows of one file: where it is, its
// size, the file as read (source.Info) and its file-level problems.
type FileInfo struct {
	Path string `json:"path"`
	Name string `json:"name"`
	Size int64  `json:"size"`
	source.Info
	// Warnings are file-level problems worth showing (ragged rows …).
	Warnings []string `json:"warnings"`
}

// Inspect reads the whole file once (row count, ragged rows) and keeps the
// first sampleRows records.
func Inspect(path string, opts source.Options, sampleRows int) (FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return FileInfo{}, apperr.Wrap(err, apperr.NotFound, "cannot read %s: %v", filepath.Base(path), unwrapPathError(err))
	}
	if err := source.CheckRegular(path); err != nil {
		return FileInfo{}, FileError(path, err)
	}
	info, err := source.Inspect(path, opts, sampleRows)
	if err != nil {
		return FileInfo{}, FileError(path, err)
	}
	fi := FileInfo{Path: path, Name: filepath.Base(path), Size: st.Size(), Info: info, Warnings: []string{}}
	if fi.Delimiter == "\t" {
		fi.Delimiter = "tab"
	}
	for _, p := range info.Problems {
		fi.Warnings = append(fi.Warnings, p.Error())
	}
	return fi, nil
}

// FileError gives a file problem one clear line naming the file, with the
// code the UI needs (NotFound, TooLarge, Invalid).
func FileError(path string, err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return apperr.Wrap(err, apperr.NotFound, "%s: no such file", path)
	case errors.As(err, &pe):
		return apperr.Wrap(err, apperr.Invalid, "%s: cannot read the file: %v", path, pe.Err)
	case errors.Is(err, source.ErrTooLarge):
		return apperr.Wrap(err, apperr.TooLarge, "%s", err.Error()).For(SettingMaxFileMB)
	}
	var se *source.Error
	if errors.As(err, &se) {
		return apperr.Wrap(err, apperr.Invalid, "%s: %s", filepath.Base(path), se.Error())
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(err, apperr.Invalid, "%s: %v", filepath.Base(path), err)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ValueCount is one distinct value of a column and how often it occurs.
type ValueCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// maxDistinct bounds the distinct values kept per column: value maps are for
// picklists, which have tens of values; past this the column is free text.
const maxDistinct = 10000

// ColumnValues returns the distinct values of one column (trimmed; blanks
// skipped), most frequent first, at most limit of them. With multi, a cell
// holds several values separated by ";" (multi-picklists), counted apart.
func ColumnValues(path string, opts source.Options, header string, multi bool, limit int) ([]ValueCount, error) {
	f, err := source.Open(path, opts)
	if err != nil {
		return nil, FileError(path, err)
	}
	defer f.Close()
	col := slices.IndexFunc(f.Header(), func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(header)) })
	if col < 0 {
		return nil, apperr.New(apperr.NotFound, "%s has no column %q", filepath.Base(path), header)
	}
	counts := map[string]int{}
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, FileError(path, err)
		}
		if col >= len(rec.Fields) {
			continue
		}
		cell := rec.Fields[col]
		vals := []string{cell}
		if multi {
			vals = strings.Split(cell, ";")
		}
		for _, v := range vals {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if _, ok := counts[v]; ok || len(counts) < maxDistinct {
				counts[v]++
			}
		}
	}
	out := make([]ValueCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, ValueCount{v, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
