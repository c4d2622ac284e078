package export

import (
	"strings"
	"testing"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/demo"
)

// FuzzSafeName: a zip name from the user never leaves the destination's
// folder and is never empty.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"export", "../../etc/passwd", "a/b\\c.zip", ".hidden", "..", "", " 客户 导出 ", "x\x00y", "C:\\x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := safeName(s)
		if n == "" || strings.ContainsAny(n, "/\\\x00:") || strings.HasPrefix(n, ".") || n == ".." {
			t.Fatalf("safeName(%q) = %q", s, n)
		}
	})
}

// FuzzRequest: any fields, headers, zone, zip and IDs either plan or are
// refused with an Invalid or NotFound *apperr.Error that quotes at most a
// short piece of the input.
func FuzzRequest(f *testing.F) {
	f.Add("Account", "name,industri", "api", "", "x.zip", "6f1c2a7e-0b7d-4c1e-9a55-3e0f2b1d4c88")
	f.Add("Opportunity", "", "zh", "Asia/Shanghai", "", "")
	f.Add("nope", strings.Repeat("é", 300), "fr", "Mars/Base", "../a", "42")
	objs := demo.Objects()
	f.Fuzz(func(t *testing.T, object, fields, headers, zone, zip, id string) {
		req := Request{Object: object, Headers: headers, Zone: zone, Zip: zip, Related: len(fields)%2 == 0}
		if fields != "" {
			req.Fields = strings.Split(fields, ",")
		}
		if id != "" {
			req.IDs = []string{id}
		}
		p := &plan{zone: "UTC"}
		err := req.check()
		if err == nil {
			err = p.object(req, objs)
		}
		if err == nil {
			return
		}
		if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.NotFound {
			t.Fatalf("%+v: %v has code %s", req, err, c)
		}
		msg := apperr.MessageOf(err)
		if !utf8.ValidString(msg) && utf8.ValidString(object+fields+headers+zone+id) {
			t.Fatalf("message is not UTF-8: %q", msg)
		}
		for _, in := range append([]string{object, headers, zone, id}, req.Fields...) {
			if len([]rune(in)) > 100 && strings.Contains(msg, in) {
				t.Fatalf("message quotes %d characters of input", len([]rune(in)))
			}
		}
	})
}
