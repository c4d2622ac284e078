package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/pgtest"
)

const plainDDL = `
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE DOMAIN short_code AS varchar(12);
CREATE TABLE customer (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(100) NOT NULL,
  code text UNIQUE,
  notes text,
  fixed char(5),
  age integer,
  big bigint NOT NULL,
  small smallint,
  amount numeric(12,3),
  ratio double precision,
  born date,
  seen_at timestamp,
  seen_tz timestamptz,
  active boolean NOT NULL DEFAULT true,
  status text CHECK (status IN ('open', 'closed', 'it''s, ok')),
  tier varchar(10) CHECK (tier IN ('gold', 'silver')),
  single text CHECK (single IN ('only')),
  positive integer CHECK (positive > 0),
  feeling mood,
  sc short_code,
  doc jsonb,
  serial_no serial,
  ident bigint GENERATED ALWAYS AS IDENTITY,
  a int, b int, UNIQUE (a, b)
);
CREATE UNIQUE INDEX customer_notes_lower ON customer (lower(notes));
CREATE UNIQUE INDEX customer_small_partial ON customer (small) WHERE small > 0;
CREATE TABLE "order" (id bigserial PRIMARY KEY,
  customer_id uuid NOT NULL REFERENCES customer (id), title text NOT NULL);
CREATE TABLE order_item (id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES "order" (id) ON DELETE CASCADE, qty numeric);
CREATE VIEW customer_view AS SELECT id FROM customer;
CREATE SCHEMA sales;
CREATE TABLE sales.lead (id int PRIMARY KEY, full_name text);
`

func TestPlainDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, plainDDL); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	tg, err := postgres.Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if tg.Schema() != "public" {
		t.Errorf("Schema() = %q, want public", tg.Schema())
	}
	objs, err := tg.Objects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.APIName)
		if o.FromCatalog || o.Schema != "public" || o.Table != o.APIName {
			t.Errorf("%s: %+v", o.APIName, o)
		}
	}
	if fmt.Sprint(names) != "[customer order order_item]" {
		t.Fatalf("objects %v", names)
	}
	cust, _ := catalog.Find(objs, "customer")
	if cust.LabelEN != "Customer" || cust.Primary != "name" || cust.Master != "" {
		t.Errorf("customer: %q primary %q master %q", cust.LabelEN, cust.Primary, cust.Master)
	}
	opt := func(vals ...string) []catalog.Option {
		var out []catalog.Option
		for _, v := range vals {
			out = append(out, catalog.Option{Value: v, LabelEN: v})
		}
		return out
	}
	want := []catalog.Field{
		{APIName: "id", LabelEN: "ID", Type: catalog.UUID, Unique: true, HasDefault: true, DBType: "uuid"},
		{APIName: "name", LabelEN: "Name", Type: catalog.Text, MaxLength: 100, Required: true, DBType: "varchar"},
		{APIName: "code", LabelEN: "Code", Type: catalog.Text, Unique: true, DBType: "text"},
		{APIName: "notes", LabelEN: "Notes", Type: catalog.Text, DBType: "text"},
		{APIName: "fixed", LabelEN: "Fixed", Type: catalog.Text, MaxLength: 5, DBType: "bpchar"},
		{APIName: "age", LabelEN: "Age", Type: catalog.Integer, DBType: "int4"},
		{APIName: "big", LabelEN: "Big", Type: catalog.Integer, Required: true, DBType: "int8"},
		{APIName: "small", LabelEN: "Small", Type: catalog.Integer, DBType: "int2"},
		{APIName: "amount", LabelEN: "Amount", Type: catalog.Decimal, Precision: 12, Scale: 3, DBType: "numeric"},
		{APIName: "ratio", LabelEN: "Ratio", Type: catalog.Decimal, DBType: "float8"},
		{APIName: "born", LabelEN: "Born", Type: catalog.Date, DBType: "date"},
		{APIName: "seen_at", LabelEN: "Seen At", Type: catalog.DateTime, DBType: "timestamp"},
		{APIName: "seen_tz", LabelEN: "Seen Tz", Type: catalog.DateTime, DBType: "timestamptz"},
		{APIName: "active", LabelEN: "Active", Type: catalog.Boolean, HasDefault: true, DBType: "bool"},
		{APIName: "status", LabelEN: "Status", Type: catalog.Picklist, Options: opt("open", "closed", "it's, ok"), DBType: "text"},
		{APIName: "tier", LabelEN: "Tier", Type: catalog.Picklist, Options: opt("gold", "silver"), DBType: "varchar"},
		{APIName: "single", LabelEN: "Single", Type: catalog.Picklist, Options: opt("only"), DBType: "text"},
		{APIName: "positive", LabelEN: "Positive", Type: catalog.Integer, DBType: "int4"},
		{APIName: "feeling", LabelEN: "Feeling", Type: catalog.Picklist, Options: opt("happy", "sad"), DBType: "mood"},
		{APIName: "sc", LabelEN: "Sc", Type: catalog.Text, MaxLength: 12, DBType: "varchar"},
		{APIName: "doc", LabelEN: "Doc", Type: catalog.LongText, DBType: "jsonb"},
		{APIName: "serial_no", LabelEN: "Serial No.", Type: catalog.Integer, HasDefault: true, DBType: "int4"},
		{APIName: "ident", LabelEN: "Ident", Type: catalog.Integer, HasDefault: true, DBType: "int8", Generated: true},
		{APIName: "a", LabelEN: "A", Type: catalog.Integer, DBType: "int4"},
		{APIName: "b", LabelEN: "B", Type: catalog.Integer, DBType: "int4"},
	}
	if len(cust.Fields) != len(want) {
		t.Fatalf("customer has %d fields, want %d", len(cust.Fields), len(want))
	}
	for i, w := range want {
		w.Column = w.APIName
		if got := cust.Fields[i]; !reflect.DeepEqual(got, w) {
			t.Errorf("field %s:\n got %+v\nwant %+v", w.APIName, got, w)
		}
	}
	order, _ := catalog.Find(objs, "order")
	if f, _ := order.Field("customer_id"); f == nil || f.Type != catalog.Lookup || f.Target != "customer" || !f.Required {
		t.Errorf("order.customer_id: %+v", f)
	}
	if order.Primary != "title" {
		t.Errorf("order primary %q, want title", order.Primary)
	}
	item, _ := catalog.Find(objs, "order_item")
	if f, _ := item.Field("order_id"); f == nil || f.Type != catalog.MasterDetail || f.Target != "order" {
		t.Errorf("order_item.order_id: %+v", f)
	}
	if item.Master != "order" || item.Primary != "" {
		t.Errorf("order_item master %q primary %q", item.Master, item.Primary)
	}
	if f, _ := item.Field("qty"); f == nil || f.Type != catalog.Decimal || f.Precision != 0 {
		t.Errorf("order_item.qty: %+v", f)
	}
}

// TestSearchPathAndCatalog: objects come from the URL's search_path until
// the CRM catalog exists in schema crm.
func TestSearchPathAndCatalog(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, plainDDL); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	tg, err := postgres.Open(ctx, dsn+sep+"search_path=sales,public", "")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if tg.Schema() != "sales" {
		t.Errorf("Schema() = %q, want sales", tg.Schema())
	}
	if o, err := tg.Object(ctx, "lead"); err != nil || o.Primary != "" || o.Schema != "sales" {
		t.Errorf("lead: %+v %v", o, err)
	}
	if err := tg.InstallDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if tg.Schema() != "crm" {
		t.Errorf("after InstallDemo Schema() = %q, want crm", tg.Schema())
	}
	if o, err := tg.Object(ctx, "Account"); err != nil || !o.FromCatalog || o.Schema != "crm" {
		t.Errorf("Account: %+v %v", o, err)
	}
}

func TestParseInCheck(t *testing.T) {
	tests := []struct {
		name, def string
		want      []string
	}{
		{"text any array", `CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])))`, []string{"open", "closed"}},
		{"varchar casts", `CHECK (((tier)::text = ANY ((ARRAY['gold'::character varying, 'silver'::character varying])::text[])))`, []string{"gold", "silver"}},
		{"quoted column", `CHECK (("Stage" = ANY (ARRAY['Won'::text])))`, []string{"Won"}},
		{"single value", `CHECK ((single = 'only'::text))`, []string{"only"}},
		{"quote and comma", `CHECK ((s = ANY (ARRAY['it''s, ok'::text, 'b'::text])))`, []string{"it's, ok", "b"}},
		{"range", `CHECK ((positive > 0))`, nil},
		{"or", `CHECK (((a = 'x'::text) OR (a = 'y'::text)))`, nil},
		{"function", `CHECK ((length(name) < 10))`, nil},
		{"not literal", `CHECK ((a = ANY (ARRAY[b, c])))`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := postgres.ParseInCheck(tt.def)
			if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseInCheck(%s) = %q, %v; want %q", tt.def, got, ok, tt.want)
			}
		})
	}
}
