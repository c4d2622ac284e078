package load

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/validate"
)

// finder runs one bulk lookup: for each value, the IDs of the records of obj
// whose field f equals it (text comparison; values already fit f's type).
type finder interface {
	find(ctx context.Context, obj *catalog.Object, f *catalog.Field, values []string) (map[string][]string, error)
}

// match is the outcome of resolving one value.
type match struct {
	id   string
	code string // "" when id is set
	msg  string
}

// maxCache bounds the resolved values kept per column (memory stays flat on
// files with a million distinct references).
const maxCache = 200_000

// resolver turns reference texts into record IDs, in bulk, with a cache.
type resolver struct {
	f     finder
	mu    sync.Mutex
	cache map[string]map[string]match // key: object/mode
}

func newResolver(f finder) *resolver {
	return &resolver{f: f, cache: map[string]map[string]match{}}
}

// steps lists the fields of obj to try, in order, for a resolve mode.
func steps(obj *catalog.Object, mode string) ([]*catalog.Field, error) {
	var id, prim *catalog.Field
	var uniq []*catalog.Field
	for i := range obj.Fields {
		f := &obj.Fields[i]
		switch {
		case f.Column == "":
		case f.APIName == "id":
			id = f
		case f.Unique:
			uniq = append(uniq, f)
		}
	}
	prim = obj.PrimaryField()
	var out []*catalog.Field
	switch mode {
	case ByID:
		out = append(out, id)
	case ByUnique:
		out = uniq
	case ByPrimary:
		if prim == nil {
			return nil, fmt.Errorf("%s has no primary attribute to look records up by", obj.APIName)
		}
		out = append(out, prim)
	case ByAuto, "":
		out = append(append([]*catalog.Field{id}, uniq...), prim)
	default: // a field API name of obj
		f, err := obj.Field(mode)
		if err != nil || f.Column == "" {
			return nil, fmt.Errorf("%s has no field %q to look records up by", obj.APIName, mode)
		}
		out = append(out, f)
	}
	clean := out[:0]
	for _, f := range out {
		if f != nil {
			clean = append(clean, f)
		}
	}
	if len(clean) == 0 {
		return nil, fmt.Errorf("%s has no field to look records up by %s", obj.APIName, mode)
	}
	return clean, nil
}

// resolve returns a match for every distinct value in vals.
func (r *resolver) resolve(ctx context.Context, obj *catalog.Object, mode string, vals []string) (map[string]match, error) {
	ck := obj.APIName + "/" + mode
	out := make(map[string]match, len(vals))
	var todo []string
	r.mu.Lock()
	c := r.cache[ck]
	if c == nil {
		c = map[string]match{}
		r.cache[ck] = c
	}
	for _, v := range vals {
		if _, dup := out[v]; dup {
			continue
		}
		if m, ok := c[v]; ok {
			out[v] = m
			continue
		}
		out[v] = match{}
		todo = append(todo, v)
	}
	r.mu.Unlock()
	if len(todo) == 0 {
		return out, nil
	}
	fields, err := steps(obj, mode)
	if err != nil {
		for _, v := range todo {
			out[v] = match{code: CodeNoMatch, msg: err.Error()}
		}
		return out, nil
	}
	left := todo
	for _, f := range fields {
		var ask []string
		for _, v := range left {
			if looksLike(f, v) {
				ask = append(ask, v)
			}
		}
		if len(ask) == 0 {
			continue
		}
		found, err := r.f.find(ctx, obj, f, ask)
		if err != nil {
			return nil, err
		}
		next := left[:0:0]
		for _, v := range left {
			ids := found[v]
			switch {
			case len(ids) == 1:
				out[v] = match{id: ids[0]}
			case len(ids) > 1:
				out[v] = match{code: CodeAmbiguous, msg: fmt.Sprintf("%q matches %d %s records by %s: give a unique value", v, len(ids), objectName(obj), fieldName(f))}
			default:
				next = append(next, v)
			}
		}
		left = next
	}
	for _, v := range left {
		out[v] = match{code: CodeNoMatch, msg: fmt.Sprintf("no %s record matches %q: looked up by %s", objectName(obj), v, fieldNames(fields))}
	}
	r.mu.Lock()
	if len(c) > maxCache {
		c = map[string]match{}
		r.cache[ck] = c
	}
	for _, v := range todo {
		if m := out[v]; m.code != CodeNoMatch { // a missing record may be created later in the job
			c[v] = m
		}
	}
	r.mu.Unlock()
	return out, nil
}

// splitList splits a multi-value cell ("a; b") into trimmed, non-empty items.
func splitList(v any) []string {
	switch x := v.(type) {
	case []string:
		out := make([]string, 0, len(x))
		for _, s := range x {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	case string:
		return splitList(strings.Split(x, ";"))
	case nil:
		return nil
	}
	if v == validate.Keep {
		return nil
	}
	return splitList(canon(v))
}
