package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports"
	"batchdesk/backend/imports/source"
)

func init() { register(newInspectCmd) }

func newInspectCmd(env *Env) *cobra.Command {
	var (
		asJSON    bool
		rows      int
		encoding  string
		delimiter string
	)
	cmd := &cobra.Command{
		Use:   "inspect FILE [--json] [--rows N] [--encoding E] [--delimiter D]",
		Short: "Show a CSV file's encoding, delimiter, header, row count and first rows",
		Long: `Inspect reads a CSV file the way an import would: it detects the encoding
(utf-8, utf-8-bom, utf-16le, utf-16be, gb18030, windows-1252) and the
delimiter (, ; tab |), reads the header and counts the data records.
It needs no CRM and writes nothing.

Rows an import would refuse whatever the mapping (a wrong number of
fields, a misplaced quote, bytes not valid in the file's encoding) are
listed as problems, and the exit status is then 1, as for a validation
with problems; rows whose cells are all empty are skipped and counted as
blank. A file that cannot be read at all (not a file, binary, a value over
1 MB or a row over 16 MB) exits 2.`,
		Args: exactFiles(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if rows < 0 {
				return apperr.New(apperr.Invalid, "--rows must be 0 or more, not %d", rows)
			}
			opts, err := imports.SourceOptions(encoding, delimiter, 0)
			if err != nil {
				return err
			}
			opts.MaxBytes = -1 // inspecting is reading: no import size limit
			info, err := source.Inspect(args[0], opts, rows)
			if err != nil {
				return imports.FileError(args[0], err)
			}
			if asJSON {
				_, err = env.Stdout.Write(inspectJSON(info))
			} else {
				err = printInspect(env, args[0], info)
			}
			if err == nil && info.ProblemRows > 0 {
				fmt.Fprintf(env.Stderr, "inspect: %d of %d rows have problems an import would refuse\n", info.ProblemRows, info.RowCount)
				return ErrRowsFailed
			}
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	f.IntVar(&rows, "rows", 20, "how many data rows to show")
	f.StringVar(&encoding, "encoding", "", "read the file in this encoding instead of detecting it")
	f.StringVar(&delimiter, "delimiter", "", `use this delimiter instead of sniffing it ("," ";" tab "|")`)
	return cmd
}

// inspectJSON writes Info as DESIGN §4 says, with each row's keys in header
// order (a Go map would sort them), followed by a newline.
func inspectJSON(info source.Info) []byte {
	var b bytes.Buffer
	str := func(s string) {
		enc, _ := json.Marshal(s)
		b.Write(enc)
	}
	b.WriteString(`{"encoding":`)
	str(info.Encoding)
	b.WriteString(`,"delimiter":`)
	str(info.Delimiter)
	b.WriteString(`,"header":[`)
	for i, h := range info.Header {
		if i > 0 {
			b.WriteByte(',')
		}
		str(h)
	}
	fmt.Fprintf(&b, `],"rowCount":%d,"rows":[`, info.RowCount)
	for i, rec := range info.Records {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, h := range info.Header {
			if j > 0 {
				b.WriteByte(',')
			}
			str(h)
			b.WriteByte(':')
			v := ""
			if j < len(rec) {
				v = rec[j]
			}
			str(v)
		}
		b.WriteByte('}')
	}
	b.WriteString("]")
	if info.Blank > 0 {
		fmt.Fprintf(&b, `,"blankRows":%d`, info.Blank)
	}
	if len(info.Problems) > 0 {
		// Only when there are some: the shape of DESIGN §4 otherwise.
		b.WriteString(`,"problems":[`)
		for i, p := range info.Problems {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"line":%d,"column":%d,"message":`, p.Line, p.Column)
			str(p.Message)
			b.WriteByte('}')
		}
		b.WriteString("]")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// printInspect is the human form: a summary and a table of the first rows.
func printInspect(env *Env, path string, info source.Info) error {
	out := env.Stdout
	fmt.Fprintf(out, "File:       %s\n", path)
	fmt.Fprintf(out, "Encoding:   %s\n", info.Encoding)
	fmt.Fprintf(out, "Delimiter:  %s\n", delimiterName(info.Delimiter))
	fmt.Fprintf(out, "Columns:    %d\n", len(info.Header))
	fmt.Fprintf(out, "Rows:       %d (header excluded)\n", info.RowCount)
	if info.Blank > 0 {
		fmt.Fprintf(out, "Blank rows: %d (all cells empty: skipped)\n", info.Blank)
	}
	for _, p := range info.Problems {
		fmt.Fprintf(out, "Problem:    %s\n", p.Error())
	}
	if len(info.Records) == 0 {
		return nil
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "LINE\t%s\n", strings.Join(cells(info.Header), "\t"))
	for i, rec := range info.Records {
		fmt.Fprintf(tw, "%d\t%s\n", info.Lines[i], strings.Join(cells(rec), "\t"))
	}
	return tw.Flush()
}

// cells shortens values for a table: one line, at most 40 characters.
func cells(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		v = strings.Join(strings.Fields(v), " ")
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:39]) + "…"
		}
		out[i] = v
	}
	return out
}

func delimiterName(d string) string {
	switch d {
	case "\t":
		return "tab"
	case ",":
		return ", (comma)"
	case ";":
		return "; (semicolon)"
	case "|":
		return "| (pipe)"
	}
	return d
}

// exactFiles is cobra.ExactArgs with a message that names what is missing.
func exactFiles(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		if len(args) < n {
			return apperr.New(apperr.Invalid, "%s: give the CSV file to read (see 'batchdesk %s --help')", cmd.Name(), cmd.Name())
		}
		return apperr.New(apperr.Invalid, "%s: takes %d file, got %d: %s", cmd.Name(), n, len(args), strings.Join(args, " "))
	}
}
