package validate

import (
	"testing"
	"time"
	"unicode/utf8"

	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping"
)

// FuzzValidateCell converts arbitrary text for every field type, date
// format and number locale: it must never panic, and every value must be
// of the type the loader expects, or a problem with a code and a message.
func FuzzValidateCell(f *testing.F) {
	for _, s := range []string{"", "1,234.56", "1.234,56", "-9223372036854775808", "1e400", "15%", "2026-01-31T10:00:00+08:00",
		"31/01/2026 10:00", "是", "Technology;金融", "a@b.co", "+1 (555) 010-9999 ext 7", "example.com", "{6f1c2a7e0b7d4c1e9a553e0f2b1d4c88}", "$ -1", ".e5"} {
		f.Add(s, uint8(0), uint8(0))
	}
	formats := append([]string{""}, mapping.DateFormats...)
	formats = append(formats, "DD/MM/YYYY HH:mm:ss")
	f.Fuzz(func(t *testing.T, s string, typ, opt uint8) {
		ft := catalog.AllTypes[int(typ)%len(catalog.AllTypes)]
		fld := &catalog.Field{APIName: "f", Type: ft, MaxLength: 20, Precision: int(opt % 20), Scale: int(opt % 5),
			Options: []catalog.Option{{Value: "Technology", LabelZH: "科技"}, {Value: "Finance", LabelZH: "金融"}}}
		col := mapping.Column{DateFormat: formats[int(opt)%len(formats)], ValueMap: map[string]string{"x": "Technology"}}
		if opt&1 == 1 {
			col.NumberLocale = mapping.NumberComma
		}
		if opt&2 == 2 {
			col.LookupBy = mapping.LookupID
		}
		v, p := NewCell(fld, "C", col, mapping.Insert, time.UTC).Convert(s)
		if p != nil {
			if p.Code == "" || p.Message == "" || v != nil || len(p.Value) > 204 || utf8.ValidString(s) && !utf8.ValidString(p.Value) {
				t.Fatalf("bad problem %+v (value %v)", p, v)
			}
			return
		}
		if v == nil {
			return
		}
		switch ft {
		case catalog.Decimal, catalog.Currency, catalog.Percent:
			d := v.(Decimal)
			if n, err := d.NumericValue(); err != nil || !n.Valid {
				t.Fatalf("NumericValue(%v) = %v, %v", d, n, err)
			}
			_ = d.String()
		case catalog.Integer:
			_ = v.(int64)
		}
	})
}
