package filter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"batchdesk/backend/catalog"
)

// The JSON form of a Cond (for the UI's condition builder), one object per
// node:
//
//	{"op":"and","args":[…]}          also "or"; "not" with one arg
//	{"op":"=","field":"stage","value":"Won"}   = != < <= > >= like "not like"
//	{"op":"in","field":"stage","values":["Won","Lost"]}   also "not in"
//	{"op":"is null","field":"email"}            also "is not null"
//
// Values are JSON strings (text, picklist options, dates, datetimes, record
// IDs), numbers (integer and decimal fields; a string holding a number is
// accepted too) or booleans. null is "all records".
type jsonNode struct {
	Op     Op                `json:"op"`
	Args   []json.RawMessage `json:"args,omitempty"`
	Field  string            `json:"field,omitempty"`
	Value  json.RawMessage   `json:"value,omitempty"`
	Values []json.RawMessage `json:"values,omitempty"`
}

// MarshalJSON writes the JSON form; a nil Cond is null.
func (c *Cond) MarshalJSON() ([]byte, error) {
	if c == nil {
		return []byte("null"), nil
	}
	n := jsonNode{Op: c.op}
	switch c.op {
	case OpAnd, OpOr, OpNot:
		for _, a := range c.args {
			b, err := a.MarshalJSON()
			if err != nil {
				return nil, err
			}
			n.Args = append(n.Args, b)
		}
		return json.Marshal(n)
	}
	n.Field = c.field.APIName
	for _, v := range c.vals {
		b, err := c.class.jsonValue(v)
		if err != nil {
			return nil, err
		}
		n.Values = append(n.Values, b)
	}
	if c.op != OpIn && c.op != OpNotIn && len(n.Values) == 1 {
		n.Value, n.Values = n.Values[0], nil
	}
	return json.Marshal(n)
}

func (k class) jsonValue(v value) (json.RawMessage, error) {
	switch {
	case v.like != nil:
	case k == cInt || k == cDec || k == cBool:
		return json.RawMessage(v.text), nil
	}
	return json.Marshal(v.text)
}

// FromJSON reads the JSON form and checks it against obj's fields like
// Compile; "null" or blank gives (nil, nil). Problems are *Error values whose
// Path names the node ("args[1].value").
func FromJSON(data []byte, obj *catalog.Object, opts ...Option) (*Cond, error) {
	if len(data) > 4*MaxLength {
		return nil, &Error{Path: "$", Code: ErrLimit, Message: fmt.Sprintf("the filter is longer than %d KiB", 4*MaxLength>>10)}
	}
	t := bytes.TrimSpace(data)
	if len(t) == 0 || string(t) == "null" {
		return nil, nil
	}
	d := jsonDecoder{obj: obj, opt: makeOptions(opts)}
	return d.node(t, "$", 0)
}

type jsonDecoder struct {
	obj *catalog.Object
	opt options
}

func pathErr(path string, code error, format string, args ...any) *Error {
	return &Error{Path: path, Code: code, Message: fmt.Sprintf(format, args...)}
}

func (d *jsonDecoder) node(data []byte, path string, depth int) (*Cond, error) {
	if depth >= MaxDepth {
		return nil, pathErr(path, ErrLimit, "the filter is nested more than %d levels deep", MaxDepth)
	}
	var n jsonNode
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return nil, pathErr(path, ErrSyntax, "not a filter condition: %s", clip(err.Error()))
	}
	n.Op = Op(strings.ToLower(string(n.Op)))
	if n.Op == "<>" {
		n.Op = OpNe
	}
	switch n.Op {
	case OpAnd, OpOr, OpNot:
		if n.Op == OpNot && len(n.Args) != 1 {
			return nil, pathErr(path+".args", ErrSyntax, "not takes exactly one condition")
		}
		if len(n.Args) == 0 {
			return nil, pathErr(path+".args", ErrSyntax, "%s needs at least one condition", n.Op)
		}
		c := &Cond{op: n.Op}
		for i, a := range n.Args {
			sub, err := d.node(a, fmt.Sprintf("%s.args[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			if sub == nil {
				return nil, pathErr(fmt.Sprintf("%s.args[%d]", path, i), ErrSyntax, "a condition is missing")
			}
			c.args = append(c.args, sub)
		}
		if len(c.args) == 1 && n.Op != OpNot {
			return c.args[0], nil
		}
		return c, nil
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIn, OpNotIn, OpLike, OpNotLike, OpIsNull, OpNotNull:
	default:
		return nil, pathErr(path+".op", ErrSyntax, "unknown operator %q", clip(string(n.Op)))
	}
	f, k, err := lookupField(d.obj, n.Field, func(code error, format string, args ...any) error {
		return pathErr(path+".field", code, format, args...)
	})
	if err != nil {
		return nil, err
	}
	if !k.allows(n.Op) {
		return nil, pathErr(path+".op", ErrOperator, "%s cannot be used on %s, which is %s (use %s)",
			strings.ToUpper(string(n.Op)), fieldName(f.APIName), typeWord(f), k.opsHint())
	}
	c := &Cond{op: n.Op, field: f, class: k}
	var raws []json.RawMessage
	var paths []string
	switch n.Op {
	case OpIsNull, OpNotNull:
		return c, nil
	case OpIn, OpNotIn:
		if len(n.Values) == 0 {
			return nil, pathErr(path+".values", ErrValue, "the IN list is empty: give at least one value")
		}
		raws = n.Values
		for i := range raws {
			paths = append(paths, fmt.Sprintf("%s.values[%d]", path, i))
		}
	default:
		if n.Value == nil {
			return nil, pathErr(path+".value", ErrSyntax, "a value is missing")
		}
		raws, paths = []json.RawMessage{n.Value}, []string{path + ".value"}
	}
	for i, raw := range raws {
		l, err := jsonLit(raw, k, paths[i])
		if err != nil {
			return nil, err
		}
		v, msg := k.convert(f, l, d.opt.zone, n.Op == OpLike || n.Op == OpNotLike)
		if msg != "" {
			return nil, pathErr(paths[i], ErrValue, "%s", msg)
		}
		c.vals = append(c.vals, v)
	}
	return c, nil
}

// jsonLit turns a JSON value into the literal the text form would have.
func jsonLit(raw json.RawMessage, k class, path string) (lit, error) {
	var x any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return lit{}, pathErr(path, ErrSyntax, "not a value: %s", clip(err.Error()))
	}
	switch v := x.(type) {
	case string:
		if (k == cInt || k == cDec) && numberRE.MatchString(v) {
			return lit{tNumber, v}, nil
		}
		if k == cBool && (v == "true" || v == "false") {
			return lit{tWord, v}, nil
		}
		return lit{tString, v}, nil
	case json.Number:
		if !numberRE.MatchString(string(v)) {
			return lit{}, pathErr(path, ErrValue, "write the number %s as digits with an optional decimal point", clip(string(v)))
		}
		return lit{tNumber, string(v)}, nil
	case bool:
		return lit{tWord, fmt.Sprint(v)}, nil
	case nil:
		return lit{}, pathErr(path, ErrSyntax, `compare with null using the "is null" or "is not null" operator`)
	}
	return lit{}, pathErr(path, ErrValue, "a value must be a string, a number or true/false")
}
