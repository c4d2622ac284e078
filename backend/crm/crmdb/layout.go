// Package crmdb holds what the two CRM databases (crm/postgres and
// crm/sandbox) share: the layout of the CRM's own tables (the two catalog
// tables, users, related-team members, audit log, the import's resume
// ledger), the DDL for each SQL dialect generated from that one description,
// identifier quoting, the audit entry, and reading the catalog tables back
// into catalog.Objects. The demo CRM's objects and seed data are package
// crm/demo.
//
// In: a Dialect and a way to run statements (ExecFunc) or rows (Rows). Out:
// SQL text, installed tables, []catalog.Object. Errors are wrapped driver
// errors with short context; this package makes no apperr codes.
package crmdb

// SystemUserID is the fixed id of the built-in user System, the actor of every
// Batchdesk write and the default owner/creator/modifier of imported records.
const SystemUserID = "00000000-0000-0000-0000-000000000001"

// Names of the CRM's own tables. In PostgreSQL they live in schema PGSchema;
// in the sandbox in SQLite's main schema.
const (
	PGSchema         = "crm"
	TableObjects     = "catalog_object" // one row per object
	TableFields      = "catalog_field"  // one row per field
	TableUsers       = "users"          // the User object
	TableTeamMembers = "team_member"    // related-team members of any record
	TableAuditLog    = "audit_log"      // one row per batch written
)

// Team roles of a related-team member (team_member.role, Field.TeamRole).
const (
	RoleReadWrite = "read_write"
	RoleReadOnly  = "read_only"
)

// Life status values of the life_status system column.
const (
	LifeNormal  = "normal"
	LifeInvalid = "invalid" // voided
)
