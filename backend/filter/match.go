package filter

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Match evaluates c over one record: rec maps API names (exact, else
// case-insensitive) to typed values — nil for NULL; string, int/int64,
// float64, json.Number, *big.Rat, bool, time.Time, []string (multi-picklist)
// or a driver.Valuer of those; text forms as the sandbox stores them (dates
// 'YYYY-MM-DD', datetimes RFC 3339, decimals '12.50', booleans 0/1) are
// accepted too. It follows the same rules as the SQL renderings and is their
// test oracle. A nil Cond matches every record. A value of the wrong type is
// an error.
func (c *Cond) Match(rec map[string]any) (bool, error) {
	if c == nil {
		return true, nil
	}
	switch c.op {
	case OpAnd, OpOr:
		for _, a := range c.args {
			ok, err := a.Match(rec)
			if err != nil {
				return false, err
			}
			if ok == (c.op == OpOr) {
				return ok, nil
			}
		}
		return c.op == OpAnd, nil
	case OpNot:
		ok, err := c.args[0].Match(rec)
		return !ok, err
	}
	if pos, neg := c.op.negative(); neg {
		ok, err := (&Cond{op: pos, field: c.field, class: c.class, vals: c.vals}).Match(rec)
		return !ok, err
	}
	raw, found := rec[c.field.APIName]
	if !found {
		for k, v := range rec {
			if strings.EqualFold(k, c.field.APIName) {
				raw, found = v, true
				break
			}
		}
	}
	if dv, ok := raw.(driver.Valuer); ok {
		v, err := dv.Value()
		if err != nil {
			return false, fmt.Errorf("filter: value of %s: %w", c.field.APIName, err)
		}
		raw = v
	}
	switch c.op {
	case OpIsNull:
		return raw == nil, nil
	case OpNotNull:
		return raw != nil, nil
	}
	if raw == nil {
		return false, nil
	}
	if c.class == cMulti {
		items, err := multiItems(raw)
		if err != nil {
			return false, fmt.Errorf("filter: value of %s: %w", c.field.APIName, err)
		}
		for _, v := range c.vals {
			for _, it := range items {
				if it == v.text {
					return true, nil
				}
			}
		}
		return false, nil
	}
	if c.op == OpLike {
		s, ok := raw.(string)
		if !ok {
			return false, fmt.Errorf("filter: value of %s: %T is not text", c.field.APIName, raw)
		}
		return likeMatch(c.vals[0].like, s), nil
	}
	for _, v := range c.vals {
		cmp, err := c.class.compare(raw, v)
		if err != nil {
			return false, fmt.Errorf("filter: value of %s: %w", c.field.APIName, err)
		}
		var ok bool
		switch c.op {
		case OpEq, OpIn:
			ok = cmp == 0
		case OpLt:
			ok = cmp < 0
		case OpLe:
			ok = cmp <= 0
		case OpGt:
			ok = cmp > 0
		case OpGe:
			ok = cmp >= 0
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// compare orders a record's value against a literal: -1, 0 or 1.
func (k class) compare(raw any, v value) (int, error) {
	switch k {
	case cText, cPick:
		s, ok := raw.(string)
		if !ok {
			return 0, fmt.Errorf("%T is not text", raw)
		}
		return strings.Compare(s, v.text), nil
	case cRef, cUUID:
		s, err := idText(raw)
		if err != nil {
			return 0, err
		}
		return strings.Compare(strings.ToLower(s), v.text), nil
	case cInt:
		r, err := ratOf(raw)
		if err != nil {
			return 0, err
		}
		return r.Cmp(new(big.Rat).SetInt64(v.i)), nil
	case cDec:
		r, err := ratOf(raw)
		if err != nil {
			return 0, err
		}
		return r.Cmp(v.rat), nil
	case cDate:
		var s string
		switch x := raw.(type) {
		case string:
			s = x
		case time.Time:
			s = x.Format(time.DateOnly)
		default:
			return 0, fmt.Errorf("%T is not a date", raw)
		}
		return strings.Compare(s, v.text), nil
	case cDateTime:
		var t time.Time
		switch x := raw.(type) {
		case time.Time:
			t = x
		case string:
			var err error
			if t, err = time.Parse(time.RFC3339Nano, x); err != nil {
				return 0, fmt.Errorf("%q is not an RFC 3339 datetime", x)
			}
		default:
			return 0, fmt.Errorf("%T is not a datetime", raw)
		}
		return t.Compare(v.t), nil
	case cBool:
		var b bool
		switch x := raw.(type) {
		case bool:
			b = x
		case int64:
			b = x != 0
		case int:
			b = x != 0
		default:
			return 0, fmt.Errorf("%T is not a boolean", raw)
		}
		if b == v.b {
			return 0, nil
		}
		return 1, nil
	}
	return 0, fmt.Errorf("unknown class")
}

func idText(raw any) (string, error) {
	switch x := raw.(type) {
	case string:
		return x, nil
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16]), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.Itoa(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	}
	return "", fmt.Errorf("%T is not a record ID", raw)
}

func ratOf(raw any) (*big.Rat, error) {
	switch x := raw.(type) {
	case int64:
		return new(big.Rat).SetInt64(x), nil
	case int:
		return new(big.Rat).SetInt64(int64(x)), nil
	case int32:
		return new(big.Rat).SetInt64(int64(x)), nil
	case int16:
		return new(big.Rat).SetInt64(int64(x)), nil
	case int8:
		return new(big.Rat).SetInt64(int64(x)), nil
	case float32:
		raw = float64(x)
	}
	switch x := raw.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, fmt.Errorf("%v is not a finite number", x)
		}
		return new(big.Rat).SetFloat64(x), nil
	case *big.Rat:
		return x, nil
	case json.Number:
		raw = string(x)
	}
	if s, ok := raw.(string); ok {
		if r, ok := new(big.Rat).SetString(s); ok {
			return r, nil
		}
		return nil, fmt.Errorf("%q is not a number", s)
	}
	return nil, fmt.Errorf("%T is not a number", raw)
}

func multiItems(raw any) ([]string, error) {
	switch x := raw.(type) {
	case []string:
		return x, nil
	case string:
		if x == "" {
			return nil, nil
		}
		return strings.Split(x, ";"), nil
	}
	return nil, fmt.Errorf("%T is not a multi-picklist value", raw)
}

// likeMatch reports whether s matches the pattern; % and _ count characters
// (runes), like PostgreSQL's LIKE and SQLite's GLOB. It is the greedy
// wildcard match that backtracks only to the last %, so it takes
// O(len(s) × len(pattern)) even for patterns like %a%a%a%b.
func likeMatch(toks []likeTok, s string) bool {
	const anyRune, oneRune = -1, -2
	var pat []rune
	for _, t := range toks {
		switch {
		case t.any:
			pat = append(pat, anyRune)
		case t.one:
			pat = append(pat, oneRune)
		default:
			pat = append(pat, []rune(t.lit)...)
		}
	}
	str := []rune(s)
	p, i, star, mark := 0, 0, -1, 0
	for i < len(str) {
		switch {
		case p < len(pat) && (pat[p] == oneRune || (pat[p] >= 0 && pat[p] == str[i])):
			p, i = p+1, i+1
		case p < len(pat) && pat[p] == anyRune:
			star, mark = p, i
			p++
		case star >= 0:
			mark++
			p, i = star+1, mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == anyRune {
		p++
	}
	return p == len(pat)
}
