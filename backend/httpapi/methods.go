package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"reflect"

	"batchdesk/backend/apperr"
)

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// methodSet calls exported methods of one value by name, the way Wails binds
// them: arguments from a JSON array, results (T, error), (error), (T) or ().
type methodSet struct {
	recv    reflect.Value
	methods map[string]reflect.Method
}

func newMethodSet(api any) *methodSet {
	v := reflect.ValueOf(api)
	t := v.Type()
	ms := &methodSet{recv: v, methods: map[string]reflect.Method{}}
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		if validResults(m.Type) {
			ms.methods[m.Name] = m
		}
	}
	return ms
}

func validResults(t reflect.Type) bool {
	switch t.NumOut() {
	case 0:
		return true
	case 1:
		return true
	case 2:
		return t.Out(1) == errorType
	}
	return false
}

// call decodes the JSON array in body into the method's parameters, calls it
// and returns its non-error result (nil when it has none).
func (ms *methodSet) call(_ context.Context, name string, body io.Reader) (result any, err error) {
	m, ok := ms.methods[name]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "no API method %q", name)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "read request body: %v", err)
	}
	var raw []json.RawMessage
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "%s: the body must be a JSON array of arguments", name)
		}
	}
	nin := m.Type.NumIn() - 1 // without the receiver
	if len(raw) != nin {
		return nil, apperr.New(apperr.Invalid, "%s takes %d arguments, got %d", name, nin, len(raw))
	}
	args := []reflect.Value{ms.recv}
	for i, r := range raw {
		p := reflect.New(m.Type.In(i + 1))
		if err := json.Unmarshal(r, p.Interface()); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "%s: argument %d: %v", name, i+1, err)
		}
		args = append(args, p.Elem())
	}
	defer func() {
		if p := recover(); p != nil {
			log.Printf("batchdesk: panic in %s: %v", name, p)
			result, err = nil, apperr.New(apperr.Internal, "internal error in %s (see the log)", name)
		}
	}()
	out := m.Func.Call(args)
	if n := len(out); n > 0 && out[n-1].Type() == errorType {
		if e := out[n-1].Interface(); e != nil {
			return nil, e.(error)
		}
		out = out[:n-1]
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out[0].Interface(), nil
}

func (ms *methodSet) String() string { return fmt.Sprintf("%d methods", len(ms.methods)) }
