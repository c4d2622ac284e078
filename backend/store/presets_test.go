package store

import (
	"context"
	"encoding/json"
	"testing"

	"batchdesk/backend/apperr"
)

func TestHeaderSignature(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		same bool
	}{
		{"case and spaces", []string{"Account Name", " Phone "}, []string{"account  name", "PHONE"}, true},
		{"BOM", []string{"\ufeffName", "客户"}, []string{"Name", "客户"}, true},
		{"order matters", []string{"a", "b"}, []string{"b", "a"}, false},
		{"no joining trick", []string{"ab", "c"}, []string{"a", "bc"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := HeaderSignature(tc.a) == HeaderSignature(tc.b); got != tc.same {
				t.Fatalf("same = %v, want %v", got, tc.same)
			}
		})
	}
}

func TestPresetsRoundTrip(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	sig := HeaderSignature([]string{"Name", "Industry", "行业"})
	body := json.RawMessage(`{"version":1,"mode":"upsert","key":"account_no","columns":{"Name":"name","行业":"industry"},"valueMaps":{"industry":{"Tech":"Technology"}}}`)
	p, err := s.SavePreset(ctx, Preset{Name: "accounts", Object: "Account", HeaderSignature: sig, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if p.CreatedAt.IsZero() || !p.CreatedAt.Equal(p.UpdatedAt) {
		t.Fatalf("times %v %v", p.CreatedAt, p.UpdatedAt)
	}
	var a, b any
	_ = json.Unmarshal(body, &a)
	_ = json.Unmarshal(p.Body, &b)
	if ja, _ := json.Marshal(a); string(ja) != func() string { jb, _ := json.Marshal(b); return string(jb) }() {
		t.Fatalf("body changed: %s", p.Body)
	}
	if _, err := s.SavePreset(ctx, Preset{Name: "contacts", Object: "Contact"}); err != nil {
		t.Fatal(err)
	}

	// Saving again under the same name replaces, keeping the creation time.
	p2, err := s.SavePreset(ctx, Preset{Name: "accounts", Object: "Account", HeaderSignature: sig, Body: json.RawMessage(`{"version":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !p2.CreatedAt.Equal(p.CreatedAt) || string(p2.Body) != `{"version":1}` {
		t.Fatalf("replace: %+v", p2)
	}

	found, err := s.FindPresetsByHeaders(ctx, HeaderSignature([]string{"name", "INDUSTRY", "行业"}))
	if err != nil || len(found) != 1 || found[0].Name != "accounts" {
		t.Fatalf("find = %+v, %v", found, err)
	}
	if found, _ := s.FindPresetsByHeaders(ctx, HeaderSignature([]string{"other"})); len(found) != 0 {
		t.Fatalf("found for other headers: %+v", found)
	}

	all, err := s.ListPresets(ctx, "")
	if err != nil || len(all) != 2 || all[0].Name != "accounts" {
		t.Fatalf("list = %+v, %v", all, err)
	}
	only, _ := s.ListPresets(ctx, "Contact")
	if len(only) != 1 || only[0].Name != "contacts" {
		t.Fatalf("list Contact = %+v", only)
	}

	wantCode(t, s.RenamePreset(ctx, "accounts", "contacts"), apperr.Conflict)
	wantCode(t, s.RenamePreset(ctx, "nope", "x"), apperr.NotFound)
	if err := s.RenamePreset(ctx, "accounts", "accounts v2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPreset(ctx, "accounts v2"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetPreset(ctx, "accounts")
	wantCode(t, err, apperr.NotFound)

	_, err = s.SavePreset(ctx, Preset{Name: "", Object: "Account"})
	wantCode(t, err, apperr.Invalid)
	_, err = s.SavePreset(ctx, Preset{Name: "x", Object: "Account", Body: json.RawMessage(`{oops`)})
	wantCode(t, err, apperr.Invalid)

	if err := s.DeletePreset(ctx, "accounts v2"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeletePreset(ctx, "accounts v2"), apperr.NotFound)
}
