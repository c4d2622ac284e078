package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"reflect"
	"sort"

	"batchdesk/backend/apperr"
)

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// methodSet calls the exported methods of chosen values by name, the way
// Wails binds them: arguments from a JSON array, results (T, error),
// (error), (T) or (). Only the values given are served — each one area of
// the app's API — never an object's every method.
type methodSet struct {
	methods map[string]boundMethod
}

// boundMethod is one method with its receiver.
type boundMethod struct {
	recv reflect.Value
	m    reflect.Method
}

func newMethodSet(apis []any) (*methodSet, error) {
	ms := &methodSet{methods: map[string]boundMethod{}}
	for _, api := range apis {
		v := reflect.ValueOf(api)
		t := v.Type()
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			if !validResults(m.Type) {
				continue
			}
			if _, dup := ms.methods[m.Name]; dup {
				return nil, fmt.Errorf("httpapi: method %s is in two areas", m.Name)
			}
			ms.methods[m.Name] = boundMethod{recv: v, m: m}
		}
	}
	return ms, nil
}

// Names lists the served method names, sorted.
func (ms *methodSet) Names() []string {
	names := make([]string, 0, len(ms.methods))
	for n := range ms.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
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
	bm, ok := ms.methods[name]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "no API method %q", name)
	}
	m := bm.m
	nin := m.Type.NumIn() - 1 // without the receiver
	raw, err := readArgs(name, body, nin)
	if err != nil {
		return nil, err
	}
	if len(raw) != nin {
		return nil, apperr.New(apperr.Invalid, "%s takes %d arguments, got %d", name, nin, len(raw))
	}
	args := []reflect.Value{bm.recv}
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

// readArgs reads the JSON array of arguments from body, element by
// element, and refuses more than max elements as soon as it sees one: a
// huge array costs no more than a short one. An empty body is no
// arguments.
func readArgs(name string, body io.Reader, max int) ([]json.RawMessage, error) {
	br := bufio.NewReader(body)
	if _, err := br.Peek(1); err == io.EOF {
		return nil, nil
	}
	dec := json.NewDecoder(br)
	notArray := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.Wrap(err, apperr.TooLarge, "%s: the request is larger than %d bytes", name, mbe.Limit)
		}
		return apperr.Wrap(err, apperr.Invalid, "%s: the body must be a JSON array of arguments", name)
	}
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, notArray(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, notArray(fmt.Errorf("not an array"))
	}
	var raw []json.RawMessage
	for dec.More() {
		if len(raw) == max {
			return nil, apperr.New(apperr.Invalid, "%s takes %d arguments, got more", name, max)
		}
		var r json.RawMessage
		if err := dec.Decode(&r); err != nil {
			return nil, notArray(err)
		}
		raw = append(raw, r)
	}
	if _, err := dec.Token(); err != nil {
		return nil, notArray(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, notArray(fmt.Errorf("data after the array"))
	}
	return raw, nil
}
