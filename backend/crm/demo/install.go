package demo

import (
	"context"
	"fmt"

	"batchdesk/backend/crm/crmdb"
)

// Statements returns the DDL of the whole demo CRM for d, in order: schema,
// catalog tables, object tables, team members, audit log, indexes. Every
// statement is idempotent (IF NOT EXISTS).
func Statements(d crmdb.Dialect) ([]string, error) {
	return d.ObjectStatements(Objects())
}

// Install creates the demo CRM's tables, catalog rows and seed data through
// exec. Running it again changes nothing: tables are created IF NOT EXISTS
// and rows inserted ON CONFLICT DO NOTHING (also when a seed row clashes with
// a user's row on a unique field). Run it inside one transaction.
func Install(ctx context.Context, d crmdb.Dialect, exec crmdb.ExecFunc) error {
	stmts, err := Statements(d)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if err := exec(ctx, s); err != nil {
			return fmt.Errorf("create demo tables: %w", err)
		}
	}
	for _, r := range crmdb.CatalogRows(Objects()) {
		if err := d.InsertRow(ctx, exec, r); err != nil {
			return fmt.Errorf("write demo catalog: %w", err)
		}
	}
	for _, r := range Rows() {
		if err := d.InsertRow(ctx, exec, r); err != nil {
			return fmt.Errorf("write demo data (%s): %w", r.Table, err)
		}
	}
	return nil
}
