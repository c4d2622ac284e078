package crm_test

import (
	"errors"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want crm.Spec // zero Kind: an Invalid error is expected
	}{
		{"built-in sandbox", "sandbox", crm.Spec{Kind: crm.KindSandbox}},
		{"sandbox any case, spaces", "  SandBox ", crm.Spec{Kind: crm.KindSandbox}},
		{"sandbox file", "sandbox:/tmp/a b.db", crm.Spec{Kind: crm.KindSandbox, Path: "/tmp/a b.db"}},
		{"sandbox relative file", "sandbox:copy.db", crm.Spec{Kind: crm.KindSandbox, Path: "copy.db"}},
		{"sandbox copy name", "sandbox:acme-2026.q1", crm.Spec{Kind: crm.KindSandbox, Name: "acme-2026.q1"}},
		{"sandbox relative dir", "sandbox:dir/acme", crm.Spec{Kind: crm.KindSandbox, Path: "dir/acme"}},
		{"sandbox windows path", `sandbox:C:\crm\copy.db`, crm.Spec{Kind: crm.KindSandbox, Path: `C:\crm\copy.db`}},
		{"postgres URL", "postgres://u@db.example:5433/crm?sslmode=require",
			crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u@db.example:5433/crm?sslmode=require"}},
		{"postgresql scheme", "postgresql://localhost/crm", crm.Spec{Kind: crm.KindPostgres, DSN: "postgresql://localhost/crm"}},
		{"IPv6 host", "postgres://u@[::1]:5432/crm", crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u@[::1]:5432/crm"}},
		{"several hosts", "postgres://u@h1:5432,h2:5433/crm", crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u@h1:5432,h2:5433/crm"}},
		{"search_path", "postgres://u@h/crm?search_path=sales,public",
			crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u@h/crm?search_path=sales,public"}},
		{"empty", "", crm.Spec{}},
		{"blank", "   ", crm.Spec{}},
		{"sandbox without path", "sandbox:", crm.Spec{}},
		{"sandbox blank path", "sandbox:   ", crm.Spec{}},
		{"other scheme", "mysql://u:pw@h/db", crm.Spec{}},
		{"keyword DSN", "host=h dbname=crm password=pw", crm.Spec{}},
		{"port not a number", "postgres://u:pw@h:port/db", crm.Spec{}},
		{"port out of range", "postgres://u:pw@h:70000/db", crm.Spec{}},
		{"port zero", "postgres://u@h:0/db", crm.Spec{}},
		{"nested path", "postgres://u@h/db/extra", crm.Spec{}},
		{"NUL byte", "sandbox:/tmp/a\x00.db", crm.Spec{}},
		{"newline", "postgres://u@h/db\nDROP", crm.Spec{}},
		{"bad escape", "postgres://u:p%zz@h/db", crm.Spec{}},
		{"bad query", "postgres://u@h/db?a=%zz", crm.Spec{}},
		{"opaque", "postgres:u@h/db", crm.Spec{}},
		{"saved-connection-like name", "prod crm", crm.Spec{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := crm.ParseSpec(tt.in)
			if tt.want.Kind == "" {
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
					t.Fatalf("ParseSpec(%q) = %+v, %v; want an Invalid *apperr.Error", tt.in, got, err)
				}
				if strings.Contains(ae.Message, "pw") {
					t.Errorf("message shows the password: %q", ae.Message)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSpec(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestSpecStringHidesPassword(t *testing.T) {
	s, err := crm.ParseSpec("postgres://u:hunter2@h:5432/db")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.String(), "hunter2") {
		t.Errorf("String() = %q shows the password", s.String())
	}
}

// FuzzParseSpec: never panics, errors are Invalid *apperr.Errors, and no
// message repeats the URL's password.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"sandbox", "sandbox:/x.db", "postgres://u:secretpw@h:5432/db?search_path=a",
		"postgresql://[::1]:99999/x", "postgres://u:secretpw@h:x/db", "postgres://%", "sandbox:\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := crm.ParseSpec(s)
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
				t.Fatalf("ParseSpec(%q): %v is not an Invalid *apperr.Error", s, err)
			}
			if at := strings.LastIndex(s, "@"); at > 0 {
				if c := strings.Index(s[:at], "://"); c >= 0 {
					if i := strings.Index(s[c+3:at], ":"); i >= 0 {
						pw := s[c+3+i+1 : at]
						if len(pw) >= 4 && strings.Contains(ae.Message, pw) {
							t.Fatalf("message %q shows password %q", ae.Message, pw)
						}
					}
				}
			}
			return
		}
		switch spec.Kind {
		case crm.KindSandbox, crm.KindPostgres:
		default:
			t.Fatalf("ParseSpec(%q) = kind %q", s, spec.Kind)
		}
	})
}
