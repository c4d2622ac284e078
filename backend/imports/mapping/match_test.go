package mapping

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"batchdesk/backend/imports/mapping/mappingtest"
)

// TestMatchFixture runs every header spelling of testdata/headers.tsv on
// its own: at least 95% must get the expected field (or none), and no
// wrong field may be auto-accepted.
func TestMatchFixture(t *testing.T) {
	f, err := os.Open("testdata/headers.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, right := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("bad fixture line %q", line)
		}
		objName, header, want := parts[0], parts[1], parts[2]
		got := Match(mappingtest.Object(objName), []string{header})[0]
		total++
		if got.Field == want {
			right++
			continue
		}
		if got.Auto {
			t.Errorf("%s %q: auto-accepted %q (%.2f, %s); want %q", objName, header, got.Field, got.Confidence, got.Reason, want)
		} else {
			t.Logf("%s %q: suggested %q (%.2f, %s); want %q", objName, header, got.Field, got.Confidence, got.Reason, want)
		}
	}
	if total < 100 {
		t.Fatalf("fixture has %d headers; want at least 100", total)
	}
	if rate := float64(right) / float64(total); rate < 0.95 {
		t.Errorf("%d of %d right (%.1f%%); want ≥ 95%%", right, total, 100*rate)
	} else {
		t.Logf("%d of %d right (%.1f%%)", right, total, 100*rate)
	}
}

func TestMatchOneFieldOnce(t *testing.T) {
	got := Match(mappingtest.Object("Account"), []string{"Mobile", "Phone", "Company", "Account Name", "Notes"})
	want := []string{"", "phone", "", "name", ""}
	for i, w := range want {
		if got[i].Field != w {
			t.Errorf("%q → %q (%.2f %s); want %q", got[i].Header, got[i].Field, got[i].Confidence, got[i].Reason, w)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full width", "ＥＭＡＩＬ", "email"},
		{"separators", " E-mail_Address ", "e mail address"},
		{"punctuation", "Account  Name:", "account name"},
		{"camel case", "AnnualRevenue", "annual revenue"},
		{"chinese", "客户 名称", "客户 名称"},
		{"full-width parens", "赢率（%）", "赢率"},
		{"empty", " - ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSignature(t *testing.T) {
	a := Signature([]string{"Account Name", "E-mail", "Phone"})
	b := Signature([]string{"phone", "account_name", "ＥＭＡＩＬ"})
	c := Signature([]string{"Account Name", "Email", "Fax"})
	if a != b {
		t.Errorf("same headers, other order and spelling: %s != %s", a, b)
	}
	if a == c {
		t.Errorf("different headers, same signature")
	}
}

func TestExactLabelBeatsStrippedName(t *testing.T) {
	obj := mappingtest.Object("Account")
	for _, s := range Match(obj, []string{"Account Name"}) {
		if s.Field != "name" || s.Reason != "English label" {
			t.Fatalf("Account Name: %+v", s)
		}
	}
}
