// Package imports turns what a consultant asks for — files, an object, a
// mapping — into what the import pipeline runs, for the window, the browser
// and the command line alike: reading a file's shape for the files step,
// suggesting a mapping (and matching presets), the distinct values of a
// column for value maps, running imports, validations and rehearsals as
// jobs (Service: Start, Resume, Restart) and the problem rows of the
// preview grid (Service.Problems, over a ProblemLog per job).
//
// In: a Request (one complete import: files, how to read them, a mapping
// per file set, details with their master column — what the window sends,
// what the command line makes of its flags with Service.Complete from a
// Form, and what a job saves), paths of CSV files on this machine, catalog
// objects, the app's workspace and job registry. The pipeline gets one
// pipeline.Request built from it; nothing below re-derives what it says.
// Out: job IDs and plain values for the app layer and the command line.
// Errors are *apperr.Error (Invalid for bad input, TooLarge for files over
// the limit, NotFound for unknown names, Conflict for a job that cannot be
// resumed or restarted) or the source package's positioned *source.Error.
package imports

import (
	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/source"
)

// ParseFormat reads an encoding name and a delimiter as people write
// them ("" = detect / sniff; see source.ParseDelimiter), coded Invalid: how
// the window's file references and the command line's flags come in.
func ParseFormat(encoding, delimiter string) (source.Format, error) {
	f, err := source.ParseFormat(encoding, delimiter)
	if err != nil {
		return f, apperr.Wrap(err, apperr.Invalid, "%v", err)
	}
	return f, nil
}

// SourceOptions turns an encoding name, a delimiter ("," ";" "|" "tab" or
// any one character; "" sniffs) and a size limit in MiB (0: the default)
// into source.Options.
func SourceOptions(encoding, delimiter string, maxMB int) (source.Options, error) {
	f, err := ParseFormat(encoding, delimiter)
	if err != nil {
		return source.Options{}, err
	}
	return fileOptions(f, maxMB)
}

// fileOptions are the source options of a file read with f under a size
// limit in MiB (0: the default).
func fileOptions(f source.Format, maxMB int) (source.Options, error) {
	if maxMB < 0 {
		return source.Options{}, apperr.New(apperr.Invalid, "the file size limit must be positive, not %d MB", maxMB)
	}
	opts := source.Options{}.With(f)
	if maxMB > 0 {
		opts.MaxBytes = int64(maxMB) << 20
	}
	return opts, nil
}
