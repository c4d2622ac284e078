package app

import (
	"reflect"
	"sort"
)

// An area is one part of the surface bound to the page: a type whose
// exported methods are the UI methods of one concern (import, jobs,
// presets, connections, settings; next export, schedules, delete,
// destinations). Each area's file registers it with addArea in an init
// function, so adding an area is one new file: its type, its methods and
// its registration. The surface test lists every area's methods, and the
// TypeScript generator (TypeScript, types.go) reads its types from here.
type area struct {
	name string
	// windowOnly areas are bound in the window and not served over HTTP.
	windowOnly bool
	// bind returns the area's value over a (a pointer to a struct that
	// embeds *App, whose methods are all unexported).
	bind func(a *App) any
}

// areas is every registered area, by name.
var areas = map[string]area{}

// addArea registers an area; a name used twice is a programming error.
func addArea(name string, windowOnly bool, bind func(a *App) any) {
	if _, dup := areas[name]; dup {
		panic("app: area " + name + " registered twice")
	}
	areas[name] = area{name: name, windowOnly: windowOnly, bind: bind}
}

// areaNames lists the registered areas, sorted.
func areaNames() []string {
	names := make([]string, 0, len(areas))
	for n := range areas {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// bound returns the values to bind: every area's for the window, the
// ones not window-only for HTTP.
func (a *App) bound(window bool) []any {
	var out []any
	for _, n := range areaNames() {
		if ar := areas[n]; window || !ar.windowOnly {
			out = append(out, ar.bind(a))
		}
	}
	return out
}

// Area describes one area of the surface, for the TypeScript generator and
// tests: its name, whether only the window binds it, and its type.
type Area struct {
	Name       string
	WindowOnly bool
	Type       reflect.Type
}

// Surface lists the areas of the bound surface, sorted by name.
func Surface() []Area {
	var out []Area
	for _, n := range areaNames() {
		ar := areas[n]
		out = append(out, Area{Name: n, WindowOnly: ar.windowOnly, Type: reflect.TypeOf(ar.bind(nil))})
	}
	return out
}

// Methods lists the exported method names of an area's type, sorted.
func (ar Area) Methods() []string {
	var out []string
	for i := 0; i < ar.Type.NumMethod(); i++ {
		out = append(out, ar.Type.Method(i).Name)
	}
	sort.Strings(out)
	return out
}
