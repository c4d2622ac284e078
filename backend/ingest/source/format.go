package source

import (
	"strings"
	"unicode/utf8"
)

// Format says how to read one file, as a person chose it: an encoding
// name (one of Encodings; "" detects) and a delimiter (0 sniffs). It is
// parsed once, where the choice comes in (ParseFormat), and carried as it
// is down to Open (Options.With). As JSON the delimiter is the character
// ("" sniffs), read back from the names ParseDelimiter knows.
type Format struct {
	Encoding  string    `json:"encoding,omitempty"`
	Delimiter Delimiter `json:"delimiter,omitempty"`
}

// ParseFormat reads an encoding name and a delimiter as people write them
// ("" = detect / sniff). Its error is ParseDelimiter's.
func ParseFormat(encoding, delimiter string) (Format, error) {
	d, err := ParseDelimiter(delimiter)
	return Format{Encoding: strings.TrimSpace(encoding), Delimiter: d}, err
}

// With returns o reading with f's encoding and delimiter.
func (o Options) With(f Format) Options {
	o.Encoding, o.Delimiter = f.Encoding, rune(f.Delimiter)
	return o
}

// Delimiter is a field separator chosen by a person (0 = sniff).
type Delimiter rune

// ParseDelimiter reads a delimiter as people write it: "" (sniff), a
// single character, or the names tab, comma, semicolon and pipe. An
// unusable one is an *Error with code ErrDelimiter.
func ParseDelimiter(s string) (Delimiter, error) {
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
		return 0, newError(0, 0, ErrDelimiter, `the delimiter must be one character ("," ";" "|" or tab), not %q`, s)
	}
	return Delimiter(r), nil
}

// String is the delimiter as the files step and `batchdesk inspect` name
// it: "tab" for a tab, "" when sniffed, else the character.
func (d Delimiter) String() string {
	switch d {
	case 0:
		return ""
	case '\t':
		return "tab"
	}
	return string(rune(d))
}

// MarshalText writes the character ("" when sniffed).
func (d Delimiter) MarshalText() ([]byte, error) {
	if d == 0 {
		return nil, nil
	}
	return []byte(string(rune(d))), nil
}

// UnmarshalText reads what ParseDelimiter reads.
func (d *Delimiter) UnmarshalText(b []byte) error {
	v, err := ParseDelimiter(string(b))
	*d = v
	return err
}
