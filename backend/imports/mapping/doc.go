// Package mapping decides which file column goes to which field of a CRM
// object, and holds that decision as a Mapping: the shape of a preset.
//
// In: a catalog.Object and a file's header names. Out: Match's suggestions
// (one field per header at most and one header per field, each with a
// confidence in 0..1 and a reason; Auto when at or above AutoAccept), and
// Mapping values built from them, from --map "Header=field" flags
// (ParseMapFlag, ApplyMapFlags) or from preset JSON (Decode, Encode).
// Signature fingerprints a header row so a saved preset can be suggested
// for a new file with the same columns.
//
// Matching compares normalised spellings (Normalize: width folding, case,
// spaces, _ and -, punctuation, camel case) against each field's API name,
// English and Chinese labels, built-in synonyms ("Company", "公司名称" →
// Account.name), the object's name as a prefix ("Account Owner" → owner),
// and a rune-wise Levenshtein similarity for typos ("Emial", "Indsutry").
// Exact and synonym matches are auto-accepted; fuzzy ones are suggested.
//
// Errors are plain sentences: ParseMapFlag and ApplyMapFlags name the bad
// flag, Decode the JSON path ($.columns["Industry"].valueMap), Check the
// column; unknown fields wrap catalog.ErrUnknownField.
package mapping
