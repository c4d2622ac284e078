// Package tsgen writes TypeScript declarations for Go types and methods,
// so the frontend's API types are generated from the Go DTOs instead of
// mirrored by hand.
//
// In: a Config naming the method sets to describe (each a Go type whose
// exported methods the page can call), extra types, event payloads,
// string unions and constant lists, plus TS names and type overrides where
// the Go name or type is not the one the frontend uses. Out: the text of
// one .ts file. Struct fields follow encoding/json: the json tag's name,
// `omitempty` makes a field optional, `-` skips it, an embedded struct
// without a tag becomes `extends`. Doc comments of types, fields and
// methods are copied from the Go source found under Config.Root.
//
// Errors: a Go type that has no TypeScript form (a channel, a func, a map
// with non-string keys), or two Go types with one TypeScript name, is an
// error naming them.
package tsgen

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"
)

// Config says what to write.
type Config struct {
	// Header is the file's first comment, one line per element.
	Header []string
	// Root is the module's folder and Module its path: a type of package
	// Module/x/y has its source in Root/x/y (for doc comments).
	Root, Module string
	// Names gives a Go type its TypeScript name (default: the Go name).
	Names map[reflect.Type]string
	// Fields overrides the TypeScript type of a field, by "GoType.Field".
	Fields map[string]string
	// Unions are string unions written first.
	Unions []Union
	// Consts are readonly arrays written after the unions.
	Consts []Const
	// Types are written even when no method uses them.
	Types []reflect.Type
	// Events are the events the page can subscribe to, written as one
	// interface EventMap (name → payload) plus EventName.
	Events []Event
	// Methods are the method sets, written as one interface AppMethods
	// plus MethodName.
	Methods []Methods
}

// Union is `export type Name = 'a' | 'b'` (Open adds `| string`: values
// the Go side may add). Go, when set, is the Go type the union stands for.
type Union struct {
	Name   string
	Doc    string
	Values []string
	Open   bool
	Go     reflect.Type
}

// Const is `export const Name: readonly Elem[] = [...]`.
type Const struct {
	Name, Elem string
	Values     []string
}

// Event is one event name and the Go type of its payload.
type Event struct {
	Name    string
	Payload reflect.Type
}

// Methods is one set of methods: the exported methods of Type (a pointer
// to a struct). Note, when set, is added to each method's doc comment.
type Methods struct {
	Area string
	Type reflect.Type
	Note string
}

var (
	errorType = reflect.TypeOf((*error)(nil)).Elem()
	timeType  = reflect.TypeOf(time.Time{})
	rawType   = reflect.TypeOf(json.RawMessage{})
)

// gen holds the state of one Generate.
type gen struct {
	cfg    Config
	unions map[reflect.Type]string
	queue  []reflect.Type // struct types to write, in discovery order
	seen   map[reflect.Type]bool
	docs   *docs
}

// Generate returns the TypeScript file described by cfg.
func Generate(cfg Config) (string, error) {
	g := &gen{cfg: cfg, unions: map[reflect.Type]string{}, seen: map[reflect.Type]bool{},
		docs: &docs{root: cfg.Root, module: cfg.Module, pkgs: map[string]*pkgDocs{}}}
	for _, u := range cfg.Unions {
		if u.Go != nil {
			g.unions[u.Go] = u.Name
		}
	}
	var b strings.Builder
	for _, l := range cfg.Header {
		b.WriteString("// " + l + "\n")
	}
	for _, u := range cfg.Unions {
		b.WriteString("\n")
		writeDoc(&b, "", u.Doc)
		vals := make([]string, len(u.Values))
		for i, v := range u.Values {
			vals[i] = quote(v)
		}
		if u.Open {
			vals = append(vals, "string")
		}
		fmt.Fprintf(&b, "export type %s = %s;\n", u.Name, strings.Join(vals, " | "))
	}
	if len(cfg.Consts) > 0 {
		b.WriteString("\n")
	}
	for _, c := range cfg.Consts {
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = quote(v)
		}
		fmt.Fprintf(&b, "export const %s: readonly %s[] = [%s];\n", c.Name, c.Elem, strings.Join(vals, ", "))
	}
	methods, err := g.methods()
	if err != nil {
		return "", err
	}
	events, err := g.events()
	if err != nil {
		return "", err
	}
	for _, t := range cfg.Types {
		if _, err := g.tsType(t, ""); err != nil {
			return "", err
		}
	}
	byName := map[string]reflect.Type{}
	for i := 0; i < len(g.queue); i++ {
		n := g.name(g.queue[i])
		if other, dup := byName[n]; dup {
			return "", fmt.Errorf("tsgen: %s and %s are both named %s in TypeScript: give one a name in Config.Names", other, g.queue[i], n)
		}
		byName[n] = g.queue[i]
		s, err := g.iface(g.queue[i])
		if err != nil {
			return "", err
		}
		b.WriteString("\n" + s)
	}
	b.WriteString("\n" + events + "\n" + methods)
	return b.String(), nil
}

// name is the TypeScript name of a named Go type.
func (g *gen) name(t reflect.Type) string {
	if n, ok := g.cfg.Names[t]; ok {
		return n
	}
	return t.Name()
}

// tsType is the TypeScript form of t; where names the field or parameter
// for errors.
func (g *gen) tsType(t reflect.Type, where string) (string, error) {
	if n, ok := g.unions[t]; ok {
		return n, nil
	}
	switch t {
	case timeType:
		return "string", nil
	case rawType:
		return "unknown", nil
	}
	switch t.Kind() {
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number", nil
	case reflect.Interface:
		return "unknown", nil
	case reflect.Pointer:
		return g.tsType(t.Elem(), where)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string", nil // encoding/json writes []byte as base64
		}
		e, err := g.tsType(t.Elem(), where)
		if err != nil {
			return "", err
		}
		if strings.Contains(e, " ") {
			e = "(" + e + ")"
		}
		return e + "[]", nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return "", fmt.Errorf("tsgen: %s: map keys must be strings, not %s", where, t.Key())
		}
		e, err := g.tsType(t.Elem(), where)
		if err != nil {
			return "", err
		}
		return "Record<string, " + e + ">", nil
	case reflect.Struct:
		if t.Name() == "" {
			return "", fmt.Errorf("tsgen: %s: anonymous structs have no name to declare", where)
		}
		if !g.seen[t] {
			g.seen[t] = true
			g.queue = append(g.queue, t)
		}
		return g.name(t), nil
	}
	return "", fmt.Errorf("tsgen: %s: %s has no TypeScript form", where, t)
}

// iface writes the interface of struct type t.
func (g *gen) iface(t reflect.Type) (string, error) {
	var b strings.Builder
	writeDoc(&b, "", g.docs.typeDoc(t))
	var extends []string
	var fields strings.Builder
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		// encoding/json promotes the fields of an embedded struct, exported or not.
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			base, err := g.tsType(f.Type, t.Name()+"."+f.Name)
			if err != nil {
				return "", err
			}
			extends = append(extends, base)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		ts, ok := g.cfg.Fields[t.Name()+"."+f.Name]
		if !ok {
			var err error
			if ts, err = g.tsType(f.Type, t.Name()+"."+f.Name); err != nil {
				return "", err
			}
		}
		optional := strings.Contains(","+opts+",", ",omitempty,")
		if f.Type.Kind() == reflect.Pointer && !optional {
			ts += " | null"
		}
		writeDoc(&fields, "  ", g.docs.fieldDoc(t, f.Name))
		q := ""
		if optional {
			q = "?"
		}
		fmt.Fprintf(&fields, "  %s%s: %s;\n", name, q, ts)
	}
	ext := ""
	if len(extends) > 0 {
		ext = " extends " + strings.Join(extends, ", ")
	}
	fmt.Fprintf(&b, "export interface %s%s {\n%s}\n", g.name(t), ext, fields.String())
	return b.String(), nil
}

// events writes EventMap and EventName.
func (g *gen) events() (string, error) {
	var b strings.Builder
	b.WriteString("/** The fixed event names the Go side emits, with their payloads. */\nexport interface EventMap {\n")
	for _, e := range g.cfg.Events {
		ts, err := g.tsType(e.Payload, "event "+e.Name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  %s: %s;\n", quote(e.Name), ts)
	}
	b.WriteString("}\nexport type EventName = keyof EventMap;\n")
	return b.String(), nil
}

// methods writes AppMethods and MethodName.
func (g *gen) methods() (string, error) {
	var b strings.Builder
	b.WriteString("/** The app methods bound by Go (app/surface.go), area by area, with their typed signatures. */\nexport interface AppMethods {\n")
	for i, ms := range g.cfg.Methods {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  // %s (%s)\n", ms.Area, ms.Type.Elem().Name())
		names := make([]string, 0, ms.Type.NumMethod())
		for k := 0; k < ms.Type.NumMethod(); k++ {
			names = append(names, ms.Type.Method(k).Name)
		}
		sort.Strings(names)
		for _, n := range names {
			m, _ := ms.Type.MethodByName(n)
			sig, err := g.signature(ms.Type.Elem(), m)
			if err != nil {
				return "", err
			}
			doc := g.docs.methodDoc(ms.Type.Elem(), n)
			if ms.Note != "" {
				doc = strings.TrimSpace(doc + " " + ms.Note)
			}
			writeDoc(&b, "  ", doc)
			b.WriteString("  " + sig + "\n")
		}
	}
	b.WriteString("}\nexport type MethodName = keyof AppMethods;\n")
	return b.String(), nil
}

// signature is `Name(a: A, b: B): Promise<R>;` for a method of recv.
func (g *gen) signature(recv reflect.Type, m reflect.Method) (string, error) {
	ft := m.Type
	names := g.docs.paramNames(recv, m.Name)
	var params []string
	for i := 1; i < ft.NumIn(); i++ {
		ts, err := g.tsType(ft.In(i), recv.Name()+"."+m.Name)
		if err != nil {
			return "", err
		}
		n := fmt.Sprintf("arg%d", i)
		if i-1 < len(names) && names[i-1] != "_" && !reserved[names[i-1]] {
			n = names[i-1]
		}
		params = append(params, n+": "+ts)
	}
	res := "null"
	var outs []reflect.Type
	for i := 0; i < ft.NumOut(); i++ {
		if ft.Out(i) != errorType {
			outs = append(outs, ft.Out(i))
		}
	}
	switch len(outs) {
	case 0:
	case 1:
		var err error
		if res, err = g.tsType(outs[0], recv.Name()+"."+m.Name); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("tsgen: %s.%s returns more than one value", recv.Name(), m.Name)
	}
	return fmt.Sprintf("%s(%s): Promise<%s>;", m.Name, strings.Join(params, ", "), res), nil
}

// reserved are the TypeScript words a parameter cannot be named.
var reserved = map[string]bool{"in": true, "new": true, "delete": true, "function": true, "class": true,
	"default": true, "var": true, "let": true, "const": true, "enum": true, "export": true, "import": true,
	"typeof": true, "void": true, "with": true, "yield": true, "this": true, "super": true, "switch": true,
	"case": true, "instanceof": true, "interface": true, "package": true, "private": true, "public": true}

func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// writeDoc writes a /** */ comment (nothing for an empty doc).
func writeDoc(b *strings.Builder, indent, doc string) {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return
	}
	lines := strings.Split(doc, "\n")
	if len(lines) == 1 {
		fmt.Fprintf(b, "%s/** %s */\n", indent, strings.ReplaceAll(lines[0], "*/", "*\\/"))
		return
	}
	fmt.Fprintf(b, "%s/**\n", indent)
	for _, l := range lines {
		fmt.Fprintf(b, "%s *%s\n", indent, strings.TrimRight(" "+strings.ReplaceAll(l, "*/", "*\\/"), " "))
	}
	fmt.Fprintf(b, "%s */\n", indent)
}

// docs reads doc comments and parameter names from Go source.
type docs struct {
	root, module string
	pkgs         map[string]*pkgDocs
}

type pkgDocs struct {
	types   map[string]string            // type name → doc
	fields  map[string]map[string]string // type → field → doc
	methods map[string]map[string]*ast.FuncDecl
}

func (d *docs) pkg(path string) *pkgDocs {
	if p, ok := d.pkgs[path]; ok {
		return p
	}
	p := &pkgDocs{types: map[string]string{}, fields: map[string]map[string]string{}, methods: map[string]map[string]*ast.FuncDecl{}}
	d.pkgs[path] = p
	rel, ok := strings.CutPrefix(path, d.module)
	if d.root == "" || !ok {
		return p
	}
	dir := filepath.Join(d.root, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			continue
		}
		for _, decl := range af.Decls {
			switch dd := decl.(type) {
			case *ast.GenDecl:
				for _, s := range dd.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok {
						continue
					}
					doc := ts.Doc
					if doc == nil && len(dd.Specs) == 1 {
						doc = dd.Doc
					}
					p.types[ts.Name.Name] = doc.Text()
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					fd := map[string]string{}
					for _, fl := range st.Fields.List {
						text := fl.Doc.Text()
						if text == "" {
							text = fl.Comment.Text()
						}
						for _, n := range fl.Names {
							fd[n.Name] = text
						}
					}
					p.fields[ts.Name.Name] = fd
				}
			case *ast.FuncDecl:
				if dd.Recv == nil || len(dd.Recv.List) != 1 {
					continue
				}
				rt := dd.Recv.List[0].Type
				if st, ok := rt.(*ast.StarExpr); ok {
					rt = st.X
				}
				id, ok := rt.(*ast.Ident)
				if !ok {
					continue
				}
				if p.methods[id.Name] == nil {
					p.methods[id.Name] = map[string]*ast.FuncDecl{}
				}
				p.methods[id.Name][dd.Name.Name] = dd
			}
		}
	}
	return p
}

func (d *docs) typeDoc(t reflect.Type) string { return d.pkg(t.PkgPath()).types[t.Name()] }

func (d *docs) fieldDoc(t reflect.Type, field string) string {
	return d.pkg(t.PkgPath()).fields[t.Name()][field]
}

func (d *docs) methodDoc(t reflect.Type, method string) string {
	if fd := d.pkg(t.PkgPath()).methods[t.Name()][method]; fd != nil {
		return fd.Doc.Text()
	}
	return ""
}

// paramNames lists a method's parameter names as written in its source.
func (d *docs) paramNames(t reflect.Type, method string) []string {
	fd := d.pkg(t.PkgPath()).methods[t.Name()][method]
	if fd == nil {
		return nil
	}
	var out []string
	for _, f := range fd.Type.Params.List {
		for _, n := range f.Names {
			out = append(out, n.Name)
		}
	}
	return out
}
