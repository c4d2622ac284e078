// Package source opens a CSV file for import: it checks the size limit,
// detects the encoding and the delimiter, reads and checks the header, and
// streams the data records with their file line and byte offset.
//
// In: a path and Options (size limit, optional encoding and delimiter
// overrides). Out: a *File with Encoding, Delimiter and Header, whose Next
// returns one Record at a time (Line: the file line the record starts on,
// the header being line 1; Offset: where its text starts in the file, for
// ReadAt; Fields: the values as UTF-8), and Progress (bytes read, size).
// Inspect does the same for `batchdesk inspect`.
//
// Encoding is detected in this order: byte-order mark (utf-8-bom,
// utf-16le, utf-16be); valid UTF-8 (utf-8, read with no decoding at all);
// UTF-16 without a BOM (its NUL pattern); chardet, GBK and GB2312 being
// read as GB18030 (gb18030); windows-1252 otherwise. Delimiters , ; tab |
// are sniffed from the first lines (quotes respected). CRLF, LF, lone CR
// and mixed line ends are all accepted.
//
// Errors are *Error (Line, Column, Code, Message) whose Code is a sentinel
// for errors.Is: ErrTooLarge, ErrEmpty (0 bytes, BOM only, blank lines
// only), ErrBinary (NUL bytes outside UTF-16, control characters),
// ErrEncoding, ErrDelimiter, ErrHeader (blank or repeated names, compared
// trimmed and case-insensitively), ErrQuote (a quoted field left open to
// the end of the file). Two problems stay inside one record and do not stop
// the file, because a consultant wants every bad row listed rather than the
// first one: a ragged record (ErrRagged) and a misplaced quote (ErrQuote)
// come back as a Record whose Problem is set; the validator reports them as
// row problems.
package source
