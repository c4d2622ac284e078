// Package validate checks every cell of a file against the target object's
// metadata before anything is sent, and turns good cells into typed values
// ready for pgx binary COPY.
//
// In: a catalog.Object, a mapping.Mapping, the file's header and the zone
// of the connection; then source.Records, one at a time (streaming: memory
// per row is one 64-bit hash per unique or key column, for in-file
// duplicates). Out: a Row per record with Values lined up with Targets
// (typed values: see Cell), the references to resolve in the CRM (Refs:
// lookups, owners, master-detail and team members, only syntax-checked
// here), and Problems; Stats counts rows and problems per code and column.
//
// Every Problem carries the file row (the line the record starts on), the
// column's header, the field, a stable Code (required, too_long,
// not_number, not_integer, out_of_range, too_many_digits, bad_date,
// bad_bool, bad_picklist, bad_email, bad_phone, bad_url, bad_uuid,
// bad_reference, duplicate_key, ragged_row, bad_quote, bad_value, bad_text),
// a message a consultant understands, and the value.
//
// Decisions: numbers with more decimals than the field's scale are
// refused, not rounded; a date-only value is a civil date that never
// shifts; a datetime without an offset is read in the zone; "15" and "15%"
// are both 15 for a percent; a URL is http(s) with a host or a bare domain
// (stored as given); a blank cell is NULL on insert and Keep (leave the
// stored value alone) on update and upsert unless the column says
// otherwise; a duplicate is reported on its second occurrence, naming the
// row of the first. A field's DBType (the column's real type, from the
// target's catalog) bounds its values: int2, int4, int8 and oid ranges,
// the digits of real, double precision and money, valid JSON for json and
// jsonb; types the validator does not know (inet, interval, arrays …) are
// left to the server's input function at load time, a row problem there.
//
// Validate checks one record; Stream runs a whole file with reading and
// converting on separate goroutines (rows still come out in file order).
// NumericCodec, registered on a pgx connection, writes Decimals in binary
// without math/big.
//
// New returns an error when the mapping does not fit the object or the
// file; Validate never fails, it reports; Stream returns only file errors
// (source.ErrBinary, an unclosed quote), the callback's error or ctx's.
package validate
