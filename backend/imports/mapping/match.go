package mapping

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"batchdesk/backend/catalog"
)

// AutoAccept is the confidence from which a suggestion is taken without
// asking: exact API names, labels and synonyms score above it; fuzzy and
// partial matches stay below it unless they are near-exact on long names.
const AutoAccept = 0.8

// minSuggest is the lowest confidence still worth showing.
const minSuggest = 0.5

// Suggestion is the proposed field of one header.
type Suggestion struct {
	Header string `json:"header"`
	// Field is the field API name, "" when nothing fits.
	Field string `json:"field"`
	// Confidence is in 0..1.
	Confidence float64 `json:"confidence"`
	// Reason says why, e.g. "English label", "synonym", "similar spelling".
	Reason string `json:"reason"`
	// Auto is true when Confidence ≥ AutoAccept: the UI maps it unasked.
	Auto bool `json:"auto"`
}

// form is one name of a field, normalised and compacted.
type form struct {
	norm, compact string
	score         float64
	reason        string
}

// Match suggests a field for each header (in header order). A field is
// suggested for at most one header: when several headers want it, the most
// confident wins and the others get their next choice. The error report's
// own columns (_row, _error) never get one.
func Match(obj *catalog.Object, headers []string) []Suggestion {
	forms := fieldForms(obj)
	type cand struct {
		h, f  int
		score float64
		why   string
	}
	var cands []cand
	for hi, h := range headers {
		if ReportColumn(h) {
			continue
		}
		for fi := range obj.Fields {
			if s, why := scoreHeader(obj, &obj.Fields[fi], forms[fi], h); s >= minSuggest {
				cands = append(cands, cand{hi, fi, s, why})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		if cands[i].h != cands[j].h {
			return cands[i].h < cands[j].h
		}
		return cands[i].f < cands[j].f
	})
	out := make([]Suggestion, len(headers))
	for i, h := range headers {
		out[i] = Suggestion{Header: h}
	}
	takenH := make([]bool, len(headers))
	takenF := make([]bool, len(obj.Fields))
	for _, c := range cands {
		if takenH[c.h] || takenF[c.f] {
			continue
		}
		takenH[c.h], takenF[c.f] = true, true
		out[c.h] = Suggestion{Header: headers[c.h], Field: obj.Fields[c.f].APIName,
			Confidence: c.score, Reason: c.why, Auto: c.score >= AutoAccept}
	}
	return out
}

// AutoMapping builds a mapping of the auto-accepted suggestions of
// headers, in insert mode.
func AutoMapping(obj *catalog.Object, headers []string) Mapping {
	m := Mapping{Object: obj.APIName, Mode: Insert, Columns: map[string]Column{}}
	for _, s := range Match(obj, headers) {
		if s.Auto {
			m.Columns[s.Header] = Column{Field: s.Field}
		}
	}
	return m
}

func newForm(s string, score float64, reason string) form {
	n := Normalize(s)
	return form{norm: n, compact: compact(n), score: score, reason: reason}
}

// fieldForms lists, per field, the names it is known by.
func fieldForms(obj *catalog.Object) [][]form {
	out := make([][]form, len(obj.Fields))
	for i := range obj.Fields {
		f := &obj.Fields[i]
		fs := []form{newForm(f.APIName, 1, "API name")}
		if f.LabelEN != "" {
			fs = append(fs, newForm(f.LabelEN, 0.97, "English label"))
		}
		if f.LabelZH != "" {
			fs = append(fs, newForm(f.LabelZH, 0.97, "Chinese label"))
		}
		for _, s := range objectSynonyms[obj.APIName][f.APIName] {
			fs = append(fs, newForm(s, 0.95, "synonym"))
		}
		for _, s := range synonyms[f.APIName] {
			fs = append(fs, newForm(s, 0.93, "synonym"))
		}
		if f.Target != "" && f.Target != obj.APIName {
			fs = append(fs, newForm(f.Target, 0.9, "referenced object"),
				newForm(f.Target+" name", 0.9, "referenced object's name"))
		}
		out[i] = fs
	}
	return out
}

// scoreHeader rates how well header names field f.
func scoreHeader(obj *catalog.Object, f *catalog.Field, forms []form, header string) (float64, string) {
	n := Normalize(header)
	c := compact(n)
	if c == "" {
		return 0, ""
	}
	best, why := 0.0, ""
	try := func(s float64, r string) {
		if s > best {
			best, why = s, r
		}
	}
	// The header without the object's name in front: "Account Name" on
	// Account, "商机名称" on Opportunity.
	var stripped string
	for _, p := range []string{obj.APIName, obj.LabelEN, obj.LabelZH} {
		if pc := compact(Normalize(p)); pc != "" && strings.HasPrefix(c, pc) && len(c) > len(pc) {
			stripped = c[len(pc):]
			break
		}
	}
	for _, fm := range forms {
		if fm.compact == "" {
			continue
		}
		if c == fm.compact {
			try(fm.score, fm.reason)
			continue
		}
		if stripped != "" && stripped == fm.compact {
			try(fm.score*0.96, fm.reason+" after the object's name") // below an exact label (0.97)
			continue
		}
		if sim := similarity(c, fm.compact); sim >= 0.6 && utf8.RuneCountInString(fm.compact) >= 4 && utf8.RuneCountInString(c) >= 4 {
			try(sim*0.9*fm.score, "similar spelling to "+quoteForm(fm))
		}
		if containsWords(n, fm) && !isObjectName(obj, fm) {
			try(0.6*fm.score, "contains "+quoteForm(fm))
		}
	}
	return best, why
}

func quoteForm(fm form) string { return "\"" + fm.norm + "\"" }

// containsWords reports whether the normalised header holds the form as
// whole words (Latin) or as a substring of at least two Han characters.
func containsWords(n string, fm form) bool {
	if utf8.RuneCountInString(fm.compact) < 2 || n == fm.norm {
		return false
	}
	if isHan(fm.compact) {
		return strings.Contains(compact(n), fm.compact)
	}
	if len(fm.compact) < 4 {
		return false
	}
	return strings.Contains(" "+n+" ", " "+fm.norm+" ")
}

func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// isObjectName reports whether a form is just the object's own name, which
// many headers start with ("Product Description").
func isObjectName(obj *catalog.Object, fm form) bool {
	for _, p := range []string{obj.APIName, obj.LabelEN, obj.LabelZH} {
		if compact(Normalize(p)) == fm.compact {
			return true
		}
	}
	return false
}
