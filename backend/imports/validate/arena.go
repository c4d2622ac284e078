package validate

import (
	"reflect"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5/pgtype"
)

// An arena boxes cell values into interfaces without an allocation per
// value: the value is stored in a slot of a chunk shared by a few hundred
// rows and the interface points at the slot, as the runtime's own boxing
// (convTstring, convT) points at a fresh 16–40 byte allocation. A slot is
// written once, before it is boxed, and never again; a chunk lives as
// long as any value boxed in it. This took a fifth of a preview's CPU
// (allocation and the GC work it causes).
//
// An arena is used by one goroutine; a nil *arena boxes the usual way.
type arena struct {
	strs  chunk[string]
	ints  chunk[int64]
	decs  chunk[Decimal]
	dates chunk[pgtype.Date]
	times chunk[time.Time]
}

// chunkLen is the slots a chunk holds (about the values of 512 rows of
// one type).
const chunkLen = 2048

type chunk[T any] struct{ free []T }

// eface is the layout of an interface holding a value that is not
// pointer-shaped (internal/abi.EmptyInterface): its type and a pointer to
// the value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// typeWord returns the type word of T's interfaces, or nil when T's
// interfaces do not point at the value (pointer-shaped types): those are
// then boxed the usual way.
func typeWord[T any]() unsafe.Pointer {
	var zero T
	k := reflect.TypeFor[T]().Kind()
	if k == reflect.Pointer || k == reflect.Map || k == reflect.Chan || k == reflect.Func || k == reflect.UnsafePointer {
		return nil
	}
	if t := reflect.TypeFor[T](); t.Size() <= unsafe.Sizeof(uintptr(0)) && k == reflect.Struct {
		return nil // a one-word struct may be pointer-shaped
	}
	x := any(zero)
	return (*eface)(unsafe.Pointer(&x)).typ
}

var (
	stringWord  = typeWord[string]()
	int64Word   = typeWord[int64]()
	decimalWord = typeWord[Decimal]()
	dateWord    = typeWord[pgtype.Date]()
	timeWord    = typeWord[time.Time]()
)

func box[T any](c *chunk[T], typ unsafe.Pointer, v T) any {
	if typ == nil {
		return v
	}
	if len(c.free) == 0 {
		c.free = make([]T, chunkLen)
	}
	p := &c.free[0]
	*p = v
	c.free = c.free[1:]
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ, e.data = typ, unsafe.Pointer(p)
	return x
}

func (a *arena) str(s string) any {
	if a == nil {
		return s
	}
	return box(&a.strs, stringWord, s)
}

func (a *arena) int(n int64) any {
	if a == nil || (n >= 0 && n < 256) { // the runtime boxes these without allocating
		return n
	}
	return box(&a.ints, int64Word, n)
}

func (a *arena) dec(d Decimal) any {
	if a == nil {
		return d
	}
	return box(&a.decs, decimalWord, d)
}

func (a *arena) date(d pgtype.Date) any {
	if a == nil {
		return d
	}
	return box(&a.dates, dateWord, d)
}

func (a *arena) time(t time.Time) any {
	if a == nil {
		return t
	}
	return box(&a.times, timeWord, t)
}
