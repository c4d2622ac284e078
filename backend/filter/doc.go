// Package filter is the filter language of export and delete (DESIGN §4,
// EXPR): `field op value` conditions joined by AND / OR / NOT with
// parentheses, checked against one catalog object and rendered for each
// database.
//
// In: the filter text (Compile) or its JSON form from the UI's condition
// builder (FromJSON), and the *catalog.Object it filters. Out: a *Cond — a
// checked AST — that renders itself as PostgreSQL (literals inlined through
// QuoteLiteral, for COPY (SELECT …) TO STDOUT, which cannot bind
// parameters), as SQLite with bound parameters, back as canonical text or
// JSON, and that evaluates itself over one record in Go (Match). A nil *Cond
// means "all records".
//
// The language:
//
//	expr       := and { OR and }
//	and        := unary { AND unary }
//	unary      := NOT unary | '(' expr ')' | comparison
//	comparison := field ( op value | [NOT] IN '(' value {',' value} ')'
//	              | [NOT] LIKE 'pattern' | IS [NOT] NULL )
//	op         := = | != | <> | < | <= | > | >=
//	value      := 'text' | number | true | false | date | datetime
//
// Keywords are case-insensitive; AND binds tighter than OR. Fields are API
// names (case-insensitive), or "double quoted" when they are not plain
// words. Strings are single-quoted, a quote inside doubled. Numbers are
// -?digits[.digits]. Dates are 2024-01-31, datetimes RFC 3339
// (2024-01-31T10:00:00+08:00) or without an offset (2024-01-31T10:00), then
// in the zone of WithZone; dates and datetimes may also be written quoted.
//
// Meaning, the same on every database and in Match:
//   - An empty (NULL) field never satisfies =, <, <=, >, >=, IN or LIKE, and
//     always satisfies the negative operators != , NOT IN and NOT LIKE:
//     `stage != 'Won'` includes records without a stage. NOT inverts
//     exactly, so NOT (a = 1) is a != 1.
//   - Text compares case-sensitively, byte by byte (COLLATE "C" on
//     PostgreSQL). LIKE takes % (any run) and _ (one character); \ makes
//     the next character literal; it is case-sensitive on both databases.
//   - Picklists take an option's value or its English or Chinese label and
//     compare the stored value; only = != IN and NOT IN apply.
//   - Multi-picklists: = and IN mean "contains the option" (IN: any of
//     them); != and NOT IN mean "contains none of them".
//   - Lookup, master-detail and owner fields compare the referenced record's
//     ID (a UUID, or a whole number for a plain table's integer key) with =,
//     !=, IN, NOT IN. Related-team fields cannot be filtered.
//   - Booleans take true/false with = and !=.
//   - Decimals compare exactly by value, on the sandbox too (where they are
//     stored as text), whatever their number of digits.
//
// Errors: every problem with the text is a *Error carrying a sentinel code
// (ErrSyntax, ErrField, ErrOperator, ErrValue, ErrLimit), the byte offset,
// line and column, and a plain message; it also unwraps to an *apperr.Error
// with code apperr.Invalid, so apperr.CodeOf reports "invalid". Rendering
// errors (a Cond not made by Compile/FromJSON) are plain errors.
package filter
