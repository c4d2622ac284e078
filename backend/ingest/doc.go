// Package ingest is the import pipeline. It holds no code itself; its
// stages are packages, and data flows through them one way:
//
//	FILE.csv
//	   │
//	   ▼
//	source     size limit, encoding (BOM → UTF-8 → UTF-16 → chardet/GB18030 →
//	   │       windows-1252), delimiter, header; records with their file line
//	   │       and byte offset (ReadAt re-reads one for the preview grid)
//	   │         errors: *source.Error (ErrTooLarge, ErrEmpty, ErrBinary,
//	   │         ErrHeader, ErrQuote…); ragged rows go on as row problems
//	   ▼
//	mapping    header → field (API name, EN/ZH label, synonyms, fuzzy score),
//	   │       value maps, date/number formats, blank meaning, lookup mode:
//	   │       a Mapping, the shape of a preset (versioned JSON)
//	   ▼
//	validate   cell → typed value (string, int64, Decimal, pgtype.Date,
//	   │       time.Time, bool, []string, pgtype.UUID) or a Problem with row,
//	   │       column, field, code and message; in-file duplicate keys by
//	   │       64-bit hash; references collected for the bulk resolver
//	   ▼
//	load       batches into the CRM: COPY or staging + UPDATE, lookups
//	           resolved in bulk, bad rows isolated, resume ledger
//
// pipeline drives the four stages for one job (see package pipeline).
// Nothing is sent to the CRM before validate has seen the row; a preview
// runs source → mapping → validate only.
package ingest
