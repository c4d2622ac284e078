// Package source opens a CSV file for import: it checks the size limit,
// detects the encoding and the delimiter, reads and checks the header, and
// streams the data records with their file line and byte offset.
//
// In: a path and Options (size limit, optional encoding and delimiter
// overrides, Limits on one field, one record and the columns). Out: a
// *File with Encoding, Delimiter and Header, whose Next returns one Record
// at a time (Line: the file line the record starts on, the header being
// line 1; Offset: where its text starts in the file, for ReadAt; Fields:
// the values as UTF-8), and Progress (bytes read, size). Rows whose cells
// are all empty are skipped and counted (Blank). Inspect does the same for
// `batchdesk inspect`.
//
// Only regular files are opened, checked before opening and opened without
// blocking (a named pipe with no writer would block for ever). Memory is
// bounded whatever the file holds: a guard between the decoder and
// encoding/csv follows csv's quoting and stops the file at a field over
// Limits.MaxFieldBytes (1 MiB), a record over MaxRecordBytes (16 MiB) or
// over MaxColumns fields (16,384), before csv has buffered it.
//
// Encoding is detected in this order: byte-order mark (utf-8-bom,
// utf-16le, utf-16be); valid UTF-8 (utf-8, read with no decoding at all);
// UTF-16 without a BOM (its NUL pattern); chardet, GBK and GB2312 being
// read as GB18030 (gb18030); windows-1252 otherwise. Delimiters , ; tab |
// are sniffed from the first lines (quotes respected). CRLF, LF, lone CR
// and mixed line ends are all accepted. Bytes that are not valid in the
// encoding are never replaced silently: in a UTF-8 file the guard checks
// every byte; in a decoded file a U+FFFD the decoder wrote counts as
// invalid input unless the line's own bytes encode U+FFFD.
//
// Errors are *Error (Line, Column, Code, Message) whose Code is a sentinel
// for errors.Is: ErrNotFile (a folder, a named pipe, a device, a socket),
// ErrTooLarge, ErrEmpty (0 bytes, BOM only, blank lines only), ErrBinary
// (NUL bytes outside UTF-16, control characters), ErrEncoding,
// ErrDelimiter, ErrHeader (blank, repeated — compared trimmed and
// case-insensitively — or over 1 KiB: not a header row), ErrQuote (a
// quoted field left open to the end of the file), ErrTooLong (over the
// Limits) and ErrChanged (the file shrank, grew or was rewritten while it
// was read, found at its end). Messages quote at most 100 characters of
// the file. Three problems stay inside one record and do not stop the
// file, because a consultant wants every bad row listed rather than the
// first one: a ragged record (ErrRagged), a misplaced quote (ErrQuote; its
// Fields are the record read leniently, for the error report) and text not
// valid in the encoding (ErrInvalidText) come back as a Record whose
// Problem is set; the validator reports them as row problems.
package source
