package lookup

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/pgtest"
)

// hostile are account names with LIKE wildcards, quotes and escapes.
var hostile = []string{"100% Pure Ltd", "100 Pure Ltd", "a_b Trading", "axb Trading", "O'Brien & Sons",
	`Back\slash Co`, `Backslash Co`, "北京云科技", "Search Alpha", "alpha search", "Searchlight"}

// targets open one CRM of each kind with the demo and the hostile accounts.
func targets() map[string]func(t *testing.T) crm.Target {
	open := func(kind string) func(t *testing.T) crm.Target {
		return func(t *testing.T) crm.Target {
			tg := crmtest.Demo(t, kind)
			for _, n := range hostile {
				tg.MustExec("INSERT INTO crm.account (name) VALUES ($1)", n)
			}
			return tg.Target
		}
	}
	return map[string]func(t *testing.T) crm.Target{"postgres": open(crm.KindPostgres), "sandbox": open(crm.KindSandbox)}
}

func names(rs []Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

// TestSearchFindsByNameLiterally: the text matches inside the name,
// case-insensitive, wildcards and quotes literally, names starting with it
// first; the IDs found give the names back; hostile texts are refused
// clearly or match nothing, never a panic or a driver error.
func TestSearchFindsByNameLiterally(t *testing.T) {
	for name, open := range targets() {
		t.Run(name, func(t *testing.T) {
			tg := open(t)
			ctx := context.Background()
			cases := []struct {
				text string
				want []string
			}{
				{"100%", []string{"100% Pure Ltd"}},
				{"a_b", []string{"a_b Trading"}},
				{"O'Brien", []string{"O'Brien & Sons"}},
				{`k\s`, []string{`Back\slash Co`}},
				{"云科", []string{"北京云科技"}},
				{"SEARCH", []string{"Search Alpha", "Searchlight", "alpha search"}},
				{"%", []string{"100% Pure Ltd"}},
				{"_", []string{"a_b Trading"}},
				{`\`, []string{`Back\slash Co`}},
				{"'; DROP TABLE account; --", nil},
				{strings.Repeat("x", MaxText), nil},
			}
			for _, c := range cases {
				res, err := Search(ctx, tg, "Account", c.text, 0)
				if err != nil {
					t.Errorf("search %q: %v", c.text, err)
					continue
				}
				if got := names(res.Records); strings.Join(got, "|") != strings.Join(c.want, "|") {
					t.Errorf("search %q = %q, want %q", c.text, got, c.want)
				}
				if res.Object != "Account" || res.Field != "name" {
					t.Errorf("search %q searched %s.%s", c.text, res.Object, res.Field)
				}
			}
			for _, bad := range []string{"\xff\xfe", "a\x00b", strings.Repeat("长", MaxText+1)} {
				if _, err := Search(ctx, tg, "Account", bad, 0); apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("search %q: %v, want a clear Invalid error", bad, err)
				}
			}
			if _, err := Search(ctx, tg, `Account"; DROP TABLE account; --`, "a", 0); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("unknown object: %v", err)
			}

			// An empty text lists the first records; limit and More.
			res, err := Search(ctx, tg, "Account", "", 5)
			if err != nil || len(res.Records) != 5 || !res.More {
				t.Fatalf("first 5 = %+v, %v", res, err)
			}
			res, err = Search(ctx, tg, "Account", "search", 2)
			if err != nil || len(res.Records) != 2 || !res.More {
				t.Fatalf("limit 2 = %+v, %v", res, err)
			}

			// The chosen IDs show by name again, in their order; unknown and
			// malformed IDs are left out.
			res, err = Search(ctx, tg, "Account", "search", 0)
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{res.Records[2].ID, "not-an-id", "'; DROP TABLE account; --", "\xff", res.Records[0].ID,
				"00000000-0000-0000-0000-000000000000", "42"}
			got, err := Names(ctx, tg, "Account", ids)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(names(got), "|") != "alpha search|Search Alpha" {
				t.Errorf("names = %+v", got)
			}
			if got, err := Names(ctx, tg, "Account", nil); err != nil || len(got) != 0 {
				t.Errorf("no ids: %+v, %v", got, err)
			}
		})
	}
}

// TestSearchPlainTables: a PostgreSQL table outside the CRM's catalog, with
// an integer key and a "name" column, is searched by it and its IDs named;
// one without a name field is refused with a plain message.
func TestSearchPlainTables(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE "Shop" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
		INSERT INTO "Shop" (name) VALUES ('Corner 50%'), ('Corner 50'), (NULL), ('Kiosk');
		CREATE TABLE tally (id serial PRIMARY KEY, n int);
		INSERT INTO tally (n) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	objs, err := tg.Objects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shop, tally := "", ""
	for _, o := range objs {
		switch o.Table {
		case "Shop":
			shop = o.APIName
		case "tally":
			tally = o.APIName
		}
	}
	res, err := Search(ctx, tg, shop, "50%", 0)
	if err != nil || len(res.Records) != 1 || res.Records[0].Name != "Corner 50%" || res.Records[0].ID != "1" {
		t.Fatalf("search = %+v, %v", res, err)
	}
	got, err := Names(ctx, tg, shop, []string{"4", "x", "3", "99999999999999999999"})
	if err != nil || len(got) != 2 || got[0].Name != "Kiosk" || got[1] != (Record{ID: "3"}) {
		t.Fatalf("names = %+v, %v", got, err)
	}
	if _, err := Search(ctx, tg, tally, "1", 0); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "no name field") {
		t.Errorf("no name field: %v", err)
	}
}
