// Package imports turns what a consultant asks for — files, an object, a
// mapping — into what the import pipeline runs, for the window, the browser
// and the command line alike: reading a file's shape for the files step,
// suggesting a mapping (and matching presets), the distinct values of a
// column for value maps, running imports, validations and rehearsals as
// jobs (Service: Start, Resume, Restart) and the problem rows of the
// preview grid (Service.Problems, over a ProblemLog per job).
//
// In: Settings (the saved shape of an import job), paths of CSV files on
// this machine, catalog objects, the app's workspace and job registry.
// Out: job IDs and plain values for the app layer and the command line.
// Errors are *apperr.Error (Invalid for bad input, TooLarge for files over
// the limit, NotFound for unknown names, Conflict for a job that cannot be
// resumed or restarted) or the source package's positioned *source.Error.
package imports

import (
	"strings"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/source"
)

// SourceOptions turns an encoding name, a delimiter ("," ";" "|" "tab" or
// any one character; "" sniffs) and a size limit in MiB (0: the default)
// into source.Options.
func SourceOptions(encoding, delimiter string, maxMB int) (source.Options, error) {
	opts := source.Options{Encoding: strings.TrimSpace(encoding)}
	d, err := ParseDelimiter(delimiter)
	if err != nil {
		return opts, err
	}
	opts.Delimiter = d
	if maxMB < 0 {
		return opts, apperr.New(apperr.Invalid, "the file size limit must be positive, not %d MB", maxMB)
	}
	if maxMB > 0 {
		opts.MaxBytes = int64(maxMB) << 20
	}
	return opts, nil
}

// ParseDelimiter reads a delimiter as people write it: "" (sniff), a single
// character, or the names tab, comma, semicolon and pipe.
func ParseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case "comma":
		return ',', nil
	case "semicolon":
		return ';', nil
	case "pipe":
		return '|', nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n != len(s) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
		return 0, apperr.New(apperr.Invalid, `the delimiter must be one character ("," ";" "|" or tab), not %q`, s)
	}
	return r, nil
}
